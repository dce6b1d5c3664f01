namespace ActorKernel.Actors.Workloads;

/// <summary>The names of what the numa-idle workload's syscall probes read; keys of results' byTarget.</summary>
public static class NumaIdleTargets
{
    /// <summary>write(2)'s buffer in the idle buffer: written once at start, never touched since.</summary>
    public const string IdleBuffer = "idle-buffer";

    /// <summary>The argv/env page at the top of the stack (mm->arg_start), as a tracer reading the command line.</summary>
    public const string ArgStart = "arg-start";

    /// <summary>openat(2)'s path: the kernel copies it right after the tracepoint (getname).</summary>
    public const string KernelTouchedBuffer = "kernel-touched-buffer";
}
