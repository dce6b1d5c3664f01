namespace ActorKernel.Model;

/// <summary>
/// A tracepoint a workload's syscalls fire and a tracer probes, with the later point where a
/// deferred program finds the same data after the kernel copied it (null: none in this model).
/// </summary>
public sealed record ProbedAttachPoint(Tracepoint Point, Tracepoint? DeferredPoint)
{
    /// <summary>sys_enter_execve, re-read at sched_process_exec from the new mm's argument area (what tracers do today).</summary>
    public static ProbedAttachPoint Execve { get; } = new(Tracepoint.SysEnterExecve, Tracepoint.SchedProcessExec);
}

/// <summary>What one workload declares: its name (its key under actor-kernel.workload) and the attach points its syscalls fire.</summary>
public sealed record WorkloadProbes(string Workload, IReadOnlyList<ProbedAttachPoint> AttachPoints);
