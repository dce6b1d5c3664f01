using Akka.Actor;

namespace ActorKernel.Actors.Locking;

/// <summary>down_read(): granted now or queued; the holder hears <see cref="LockGranted"/>.</summary>
public sealed record AcquireRead(long Owner, IActorRef ReplyTo);

/// <summary>down_write(): granted now or queued; the holder hears <see cref="LockGranted"/>.</summary>
public sealed record AcquireWrite(long Owner, IActorRef ReplyTo);

/// <summary>down_read_trylock(): answered at once with <see cref="TryLockResult"/>.</summary>
public sealed record TryAcquireRead(long Owner, IActorRef ReplyTo);

public sealed record ReleaseRead(long Owner);

public sealed record ReleaseWrite(long Owner);

/// <summary>The lock is held by <paramref name="Owner"/> after waiting <paramref name="WaitedNs"/>.</summary>
public sealed record LockGranted(long Owner, bool Write, long WaitedNs);

public sealed record TryLockResult(long Owner, bool Acquired);

/// <summary>What happened to an mmap_lock.</summary>
public enum MmapLockChange
{
    /// <summary>The owner holds the lock (at once, after waiting, or by a successful trylock).</summary>
    Acquired,
    /// <summary>The owner waits in the FIFO queue.</summary>
    Queued,
    /// <summary>A writer spins on the reader-owned lock (rwsem_optimistic_spin()): not queued, so trylocks still succeed.</summary>
    Spinning,
    /// <summary>down_read_trylock() failed.</summary>
    TrylockFailed,
    Released,
}

/// <summary>An observation of mm <paramref name="MmId"/>'s mmap_lock, published for scenario tests (never sent to actors).</summary>
public sealed record MmapLockObserved(long AtNs, int MmId, long Owner, MmapLockChange Change, bool Write, long WaitedNs, bool HandoffSet);
