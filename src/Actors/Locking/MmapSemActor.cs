using ActorKernel.Actors.Engine;
using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Locking;

/// <summary>
/// One mm's mmap_lock (an rw_semaphore, kernel/locking/rwsem.c). The semantics live in
/// <see cref="RwSemaphore"/>; this actor turns requests into calls on it and tells each
/// waiter when the lock is handed to it.
/// </summary>
public sealed class MmapSemActor : ReceiveActor
{
    private readonly SimContext _sim;
    private readonly RwSemaphore _sem;
    // Lookup only (never iterated): who to tell when a queued owner is granted.
    private readonly Dictionary<long, IActorRef> _waiting = new();

    private readonly int _mmId;

    public MmapSemActor(SimContext sim, int mmId, long handoffWaitNs)
    {
        _sim = sim;
        _mmId = mmId;
        _sem = new RwSemaphore(handoffWaitNs);
        Receive<AcquireRead>(m => Acquire(m.Owner, m.ReplyTo, write: false));
        Receive<AcquireWrite>(m => Acquire(m.Owner, m.ReplyTo, write: true));
        Receive<TryAcquireRead>(m =>
        {
            var ok = _sem.TryAcquireRead(m.Owner, Now);
            Observe(m.Owner, ok ? MmapLockChange.Acquired : MmapLockChange.TrylockFailed, write: false, 0);
            m.ReplyTo.Tell(new TryLockResult(m.Owner, ok));
        });
        Receive<ReleaseRead>(m =>
        {
            Observe(m.Owner, MmapLockChange.Released, write: false, 0);
            Notify(_sem.ReleaseRead(m.Owner, Now));
        });
        Receive<ReleaseWrite>(m =>
        {
            Observe(m.Owner, MmapLockChange.Released, write: true, 0);
            Notify(_sem.ReleaseWrite(m.Owner, Now));
        });
    }

    public static Props Props(SimContext sim, int mmId, long handoffWaitNs) =>
        sim.Bind(SimProps.Create(() => new MmapSemActor(sim, mmId, handoffWaitNs)));

    private SimTime Now => new(_sim.NowNs);

    private void Acquire(long owner, IActorRef replyTo, bool write)
    {
        var granted = write ? _sem.AcquireWrite(owner, Now) : _sem.AcquireRead(owner, Now);
        if (granted)
        {
            Observe(owner, MmapLockChange.Acquired, write, 0);
            replyTo.Tell(new LockGranted(owner, write, 0));
        }
        else
        {
            Observe(owner, MmapLockChange.Queued, write, 0);
            _waiting.Add(owner, replyTo);
        }
    }

    private void Observe(long owner, MmapLockChange change, bool write, long waitedNs)
    {
        if (_sim.IsObserved) _sim.Publish(new MmapLockObserved(_sim.NowNs, _mmId, owner, change, write, waitedNs, _sem.HandoffSet));
    }

    private void Notify(IReadOnlyList<RwsemGrant> grants)
    {
        foreach (var g in grants)
        {
            if (!_waiting.Remove(g.Owner, out var replyTo))
                throw new ModelInvariantException($"mmap_lock granted to owner {g.Owner}, who was not waiting");
            Observe(g.Owner, MmapLockChange.Acquired, g.Write, _sim.NowNs - g.QueuedAt.Ns);
            replyTo.Tell(new LockGranted(g.Owner, g.Write, _sim.NowNs - g.QueuedAt.Ns));
        }
    }
}
