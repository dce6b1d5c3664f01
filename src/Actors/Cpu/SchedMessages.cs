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
