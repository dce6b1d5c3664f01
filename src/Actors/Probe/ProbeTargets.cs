namespace ActorKernel.Actors.Probe;

/// <summary>The names of what a sys_enter_execve probe reads; the keys of results' byTarget.</summary>
public static class ProbeTargets
{
    /// <summary>The filename string (args->filename).</summary>
    public const string Filename = "filename";

    /// <summary>The argv pointer array (args->argv), up to max-argv pointers.</summary>
    public const string ArgvArray = "argv-array";

    /// <summary>Each argv string, up to max-argv of them.</summary>
    public const string Argv = "argv";
}

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
