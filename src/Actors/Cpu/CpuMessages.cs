using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Cpu;

/// <summary>A task on this CPU reached a tracepoint (any attach point); the attached programs run before it continues.</summary>
/// <remarks>Plan: what a probe program there reads. MmapSem: the mm's mmap_lock, for policies that fault (null where the mm is gone).</remarks>
public sealed record TracepointEnter(Tracepoint Point, ProbeReadPlan Plan, int TaskId, IActorRef Mm, IActorRef Task, IActorRef? MmapSem = null);

/// <summary>Every attached program has run: the task continues its syscall.</summary>
public sealed record TracepointReturn(Tracepoint Point);

/// <summary>Attach a probe program to a tracepoint on this CPU.</summary>
public sealed record AttachProbe(Tracepoint Point, IActorRef Probe);

/// <summary>Run the probe program for this hit, whatever the attach point: read what <paramref name="Plan"/> says; answer the CPU with <see cref="ProbeProgramDone"/>.</summary>
public sealed record TracepointHit(Tracepoint Point, ProbeReadPlan Plan, int TaskId, IActorRef Mm, IActorRef Cpu, IActorRef? MmapSem = null);

public sealed record ProbeProgramDone(int TaskId);

/// <summary>A NUMA node has created its CPUs.</summary>
public sealed record NodeReady(int Node, IReadOnlyList<IActorRef> Cpus);
