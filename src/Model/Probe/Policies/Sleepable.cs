namespace ActorKernel.Model;

public sealed partial class ProbePolicy
{
    /// <summary>
    /// A full fault in a sleepable program (bpf_copy_from_user()): waits for the mmap lock and for
    /// I/O; never fails on valid memory. A tracepoint program cannot be sleepable, so it is a
    /// sleepable fentry on the syscall's entry (fentry/__x64_sys_execve), which runs at the same moment.
    /// </summary>
    public static ProbePolicy Sleepable { get; } = new()
    {
        Name = "sleepable",
        Summary = "a sleepable fentry program on the syscall entry (fentry/__x64_sys_execve, 5.10+): full faults, waiting for the lock and for I/O",
        Locks = ProbeLocking.MmapBlocking,
        Resolves = InPlaceFaults.MinorAndMajor,
        Reads = ProbeReadPoint.AtEntry,
        Requires = [PolicyRequirement.SleepableFentry],
        Reports = PolicyFigures.WorkloadDelay,
    };
}
