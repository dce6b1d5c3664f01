using ActorKernel.Actors.Memory;
using ActorKernel.Model;

namespace ActorKernel.Actors.Tasks;

/// <summary>One step of a task's program: what the workload makes a thread do.</summary>
public abstract record TaskOp;

/// <summary>The task reads or writes user memory, faulting as needed (user-mode access).</summary>
public sealed record TouchOp(ulong Addr, int LengthBytes, AccessKind Kind) : TaskOp;

/// <summary>posix_fadvise/readahead on the file page behind an address (see <see cref="PageCacheAdvice"/>).</summary>
public sealed record AdviseOp(ulong Addr, PageCacheAdvice Advice) : TaskOp;

/// <summary>Create a child running <paramref name="ChildProgram"/>.</summary>
public sealed record SpawnOp(SpawnKind Kind, Func<IEnumerable<TaskOp>> ChildProgram) : TaskOp;

/// <summary>execve(2): sys_enter_execve fires, the kernel copies filename and argv, the old mm is dropped.</summary>
public sealed record ExecOp(ExecveArgs Args) : TaskOp;

/// <summary>wait4(2) for one child to exit.</summary>
public sealed record WaitChildOp : TaskOp;

/// <summary>Sleep for a virtual duration (no CPU time).</summary>
public sealed record SleepOp(long DurationNs) : TaskOp;

/// <summary>Sleep until the run ends: an idle thread that only holds a reference to its mm.</summary>
public sealed record BlockForeverOp : TaskOp;

/// <summary>Take this mm's mmap_lock (for write or read), hold it for a virtual duration, release it: what mmap, munmap, mprotect or brk do, reduced to their lock hold.</summary>
public sealed record HoldMmapLockOp(bool Write, long HoldNs) : TaskOp;

/// <summary>
/// A syscall nobody probes whose kernel side copy_from_user()s <paramref name="LengthBytes"/> at <paramref name="Addr"/>
/// (a kernel-mode fault: fault-around, may sleep on the mmap_lock), such as glibc posix_spawn()'s rt_sigprocmask() of sigall_set.
/// </summary>
public sealed record KernelReadOp(ulong Addr, int LengthBytes) : TaskOp;

/// <summary>A syscall with a probed entry tracepoint: probes run, then the kernel copies what it reads.</summary>
public sealed record SyscallOp(Tracepoint Point, SyscallArgs Args) : TaskOp;

/// <summary>Burn CPU for a while: the task is runnable and accrues runtime only when its CPU runs it.</summary>
public sealed record ComputeOp(long DurationNs) : TaskOp;

/// <summary>sched_setaffinity() to one CPU (index in machine order): later runs and faults happen there.</summary>
public sealed record MoveToCpuOp(int CpuIndex) : TaskOp;

/// <summary>A syscall that takes the mmap lock for write (mm/mmap.c, mm/mprotect.c), holding it <paramref name="HoldNs"/>.</summary>
public sealed record MmapWriteOp(MmapWriteKind Kind, long HoldNs) : TaskOp;
