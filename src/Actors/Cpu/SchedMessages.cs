using ActorKernel.Actors.Tasks;
using Akka.Actor;

namespace ActorKernel.Actors.Cpu;

/// <summary>A task becomes runnable and wants <paramref name="WantNs"/> of CPU (enqueue_task); answered with <see cref="RunDone"/>.</summary>
/// <remarks>Scanner: The NUMA scanner of the task's mm, told of every tick's runtime; null when NUMA balancing is off.</remarks>
public sealed record RunRequest(int TaskId, IActorRef Task, long WantNs, IActorRef? Scanner);

/// <summary>The task's CPU burst is used up: it continues its program.</summary>
public sealed record RunDone(int TaskId);

/// <summary>
/// kernel/sched/core.c sched_tick() → task_tick_fair() → task_tick_numa(): the running task was
/// charged <paramref name="ChargedNs"/> of runtime on a CPU of <paramref name="CpuNode"/>.
/// </summary>
public sealed record SchedTickCharged(int TaskId, long ChargedNs, int CpuNode);

/// <summary>A task on this CPU entered a syscall whose tracepoint has probes; the task continues on <see cref="TracepointReturn"/>.</summary>
public sealed record SyscallEnter(Tracepoint Point, SyscallArgs Args, int TaskId, IActorRef Mm, IActorRef Task, IActorRef? MmapSem = null);

/// <summary>Run the syscall probe program for this hit; answer the CPU with <see cref="ProbeProgramDone"/>.</summary>
public sealed record SyscallHit(Tracepoint Point, SyscallArgs Args, int TaskId, IActorRef Mm, IActorRef Cpu, IActorRef? MmapSem = null);
