using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Memory;

/// <summary>Put this mm under the run's memory model: charge new pages, report accesses, wake <paramref name="Kswapds"/> (one per node).</summary>
public sealed record AttachMemory(MemoryModel Model, IReadOnlyList<IActorRef> Kswapds);

/// <summary>mm/vmscan.c wakeup_kswapd(): the node fell below its low watermark.</summary>
public sealed record WakeKswapd(int Node);
