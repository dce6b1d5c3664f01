using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Memory;

/// <summary>
/// A faulting probe read, sent by a probe that holds this mm's mmap lock for read
/// (trylock-minor after a successful trylock, sleepable after down_read): resolve what
/// <paramref name="Rules"/> allow in place, then read.
/// </summary>
public sealed record ProbeInPlaceRead(ulong Addr, int LengthBytes, int ReadId, InPlaceRules Rules, IActorRef ReplyTo);

/// <summary>trylock-vma: vma_start_read() on the VMA at <paramref name="Addr"/>; when it succeeds, resolve in place under it.</summary>
public sealed record ProbeVmaRead(ulong Addr, int LengthBytes, int ReadId, InPlaceRules Rules, IActorRef ReplyTo);

/// <summary>Answer to <see cref="ProbeInPlaceRead"/> and <see cref="ProbeVmaRead"/>.</summary>
/// <param name="ReadId">The read this answers.</param>
/// <param name="Result">What the in-place read found and did.</param>
/// <param name="FaultNs">Virtual time the resolved faults take (the lock is held across it).</param>
/// <param name="VmaLockHeld">trylock-vma: the VMA read lock is held; release it with <see cref="ProbeVmaReadEnd"/>.</param>
public sealed record ProbeInPlaceResult(int ReadId, InPlaceReadResult Result, long FaultNs, bool VmaLockHeld);

/// <summary>vma_end_read() on the VMA at <paramref name="Addr"/>.</summary>
public sealed record ProbeVmaReadEnd(ulong Addr);

/// <summary>A churn thread holds the mmap lock for write: apply <paramref name="Kind"/> (taking the VMA write lock it needs).</summary>
public sealed record MmapWriteApply(MmapWriteKind Kind, IActorRef ReplyTo);

/// <summary>The operation is in place (its VMA write lock, if any, is taken).</summary>
public sealed record MmapWriteApplied(MmapWriteKind Kind);

/// <summary>The writer is about to release the mmap lock: mmap_write_unlock() → vma_end_write_all().</summary>
public sealed record MmapWriteEnd;
