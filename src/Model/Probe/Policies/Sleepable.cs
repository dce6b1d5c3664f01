namespace ActorKernel.Model;

public sealed partial class ProbePolicy
{
    /// <summary>A full fault in a sleepable program (bpf_copy_from_user()): waits for the mmap lock and for I/O; never fails on valid memory.</summary>
    public static ProbePolicy Sleepable { get; } = new()
    {
        Name = "sleepable",
        Summary = "a sleepable program: full faults, waiting for the lock and for I/O (where the attach point allows it)",
        Locks = ProbeLocking.MmapBlocking,
        Resolves = InPlaceFaults.MinorAndMajor,
        Reads = ProbeReadPoint.AtEntry,
        Requires = [PolicyRequirement.SleepableAttachPoints, PolicyRequirement.SleepablePrograms],
        Reports = PolicyFigures.WorkloadDelay,
    };
}
