using ActorKernel.Actors.Tasks;
using Akka.Actor;

namespace ActorKernel.Actors.Cpu;

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
    public static string ToName(this Tracepoint tp) => tp switch
    {
        Tracepoint.SysEnterExecve => "sys_enter_execve",
        Tracepoint.SysEnterWrite => "sys_enter_write",
        Tracepoint.SysEnterOpenat => "sys_enter_openat",
        Tracepoint.SchedProcessExec => "sched_process_exec",
        _ => throw new ArgumentOutOfRangeException(nameof(tp), tp, null),
    };
}

/// <summary>A task on this CPU reached a tracepoint; the attached programs run before it continues.</summary>
/// <remarks>MmapSem: the mm's mmap_lock, for policies that fault (null where the mm is gone).</remarks>
public sealed record TracepointEnter(Tracepoint Point, ExecveArgs Args, int TaskId, IActorRef Mm, IActorRef Task, IActorRef? MmapSem = null);

/// <summary>Every attached program has run: the task continues its syscall.</summary>
public sealed record TracepointReturn(Tracepoint Point);

/// <summary>Attach a probe program to a tracepoint on this CPU.</summary>
public sealed record AttachProbe(Tracepoint Point, IActorRef Probe);

/// <summary>Run the probe program for this hit; answer the CPU with <see cref="ProbeProgramDone"/>.</summary>
public sealed record TracepointHit(Tracepoint Point, ExecveArgs Args, int TaskId, IActorRef Mm, IActorRef Cpu, IActorRef? MmapSem = null);

public sealed record ProbeProgramDone(int TaskId);

/// <summary>A NUMA node has created its CPUs.</summary>
public sealed record NodeReady(int Node, IReadOnlyList<IActorRef> Cpus);
