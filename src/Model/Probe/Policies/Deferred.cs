namespace ActorKernel.Model;

public sealed partial class ProbePolicy
{
    /// <summary>Read at the matching later point (sched_process_exec, from the new mm's argument area: fs/exec.c copy_strings()), as tracers do today.</summary>
    public static ProbePolicy Deferred { get; } = new()
    {
        Name = "deferred",
        Summary = "read at the exit point (sched_process_exec), from the new mm's argument area",
        Locks = ProbeLocking.None,
        Resolves = InPlaceFaults.None,
        Reads = ProbeReadPoint.Deferred,
        Requires = [PolicyRequirement.DeferredPointEverywhere],
        Reports = PolicyFigures.StaleReads,
    };
}
