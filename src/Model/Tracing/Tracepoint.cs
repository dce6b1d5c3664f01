namespace ActorKernel.Model;

/// <summary>Attach points a probe can use.</summary>
public enum Tracepoint
{
    /// <summary>tracepoint:syscalls:sys_enter_execve — before the kernel has copied any argument.</summary>
    SysEnterExecve,

    /// <summary>tracepoint:syscalls:sys_enter_write — the buffer is read by the kernel only later (or never, for /dev/null).</summary>
    SysEnterWrite,

    /// <summary>tracepoint:syscalls:sys_enter_openat — getname() copies the path right after the tracepoint.</summary>
    SysEnterOpenat,

    /// <summary>tracepoint:sched:sched_process_exec — execve() has installed the new mm and copied the arguments into it.</summary>
    SchedProcessExec,
}

public static class TracepointNames
{
    /// <summary>The tracepoint's name as tracefs spells it (and results' attach field).</summary>
    public static string ToName(this Tracepoint tp) => tp switch
    {
        Tracepoint.SysEnterExecve => "sys_enter_execve",
        Tracepoint.SysEnterWrite => "sys_enter_write",
        Tracepoint.SysEnterOpenat => "sys_enter_openat",
        Tracepoint.SchedProcessExec => "sched_process_exec",
        _ => throw new ArgumentOutOfRangeException(nameof(tp), tp, null),
    };

    /// <summary>The tracepoint called <paramref name="name"/>; the configuration schema admits only names of this enum.</summary>
    public static Tracepoint Parse(string name) =>
        Enum.GetValues<Tracepoint>().Single(tp => tp.ToName() == name);

    /// <summary>A syscalls:sys_enter_* tracepoint: it fires at the syscall's entry, where an fentry on __x64_sys_* also runs.</summary>
    public static bool IsSyscallEntry(this Tracepoint tp) => tp.ToName().StartsWith("sys_enter_", StringComparison.Ordinal);
}
