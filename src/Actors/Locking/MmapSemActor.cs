using ActorKernel.Actors.Engine;
using ActorKernel.Actors.Metrics;
using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Locking;

/// <summary>
/// One mm's mmap_lock (an rw_semaphore, kernel/locking/rwsem.c). The semantics live in
/// <see cref="RwSemaphore"/>; this actor turns requests into calls on it and tells each
/// waiter when the lock is handed to it. With a metrics actor it also reports its statistics,
/// and for every writer how long it waited while a probe held the lock for read.
/// </summary>
public sealed class MmapSemActor : UntypedActor
{
    private readonly SimContext _sim;
    private readonly RwSemaphore _sem;
    private readonly IActorRef? _metrics;
    // Lookup only (never iterated): who to tell when a queued owner is granted.
    private readonly Dictionary<long, IActorRef> _waiting = new();
    private readonly WriterWaitByProbe _byProbe = new();
    private RwsemCounters _reported;
    private readonly int _mmId;

    public MmapSemActor(SimContext sim, int mmId, long handoffWaitNs, IActorRef? metrics = null)
    {
        _sim = sim;
        _mmId = mmId;
        _sem = new RwSemaphore(handoffWaitNs);
        _metrics = metrics;
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case AcquireRead m:
                Acquire(m.Owner, m.ReplyTo, write: false);
                break;
            case AcquireWrite m:
                Acquire(m.Owner, m.ReplyTo, write: true);
                break;
            case TryAcquireRead m:
            {
                Accrue();
                var ok = _sem.TryAcquireRead(m.Owner, Now);
                if (ok && LockOwners.IsProbe(m.Owner)) _byProbe.ProbeAcquiredRead();
                Observe(m.Owner, ok ? MmapLockChange.Acquired : MmapLockChange.TrylockFailed, write: false, 0);
                m.ReplyTo.Tell(new TryLockResult(m.Owner, ok));
                Report();
                break;
            }
            case ReleaseRead m:
                Accrue();
                if (LockOwners.IsProbe(m.Owner)) _byProbe.ProbeReleasedRead();
                Observe(m.Owner, MmapLockChange.Released, write: false, 0);
                Notify(_sem.ReleaseRead(m.Owner, Now));
                break;
            case ReleaseWrite m:
                Accrue();
                Observe(m.Owner, MmapLockChange.Released, write: true, 0);
                Notify(_sem.ReleaseWrite(m.Owner, Now));
                break;
            default:
                _sim.Unexpected(Self, message);
                break;
        }
    }

    public static Props Props(SimContext sim, int mmId, long handoffWaitNs, IActorRef? metrics = null) =>
        sim.Bind(SimProps.Create(() => new MmapSemActor(sim, mmId, handoffWaitNs, metrics)));

    private SimTime Now => new(_sim.NowNs);

    private void Acquire(long owner, IActorRef replyTo, bool write)
    {
        Accrue();
        var granted = write ? _sem.AcquireWrite(owner, Now) : _sem.AcquireRead(owner, Now);
        if (granted)
        {
            Observe(owner, MmapLockChange.Acquired, write, 0);
            OnGranted(owner, write, 0);
            replyTo.Tell(new LockGranted(owner, write, 0));
        }
        else
        {
            Observe(owner, MmapLockChange.Queued, write, 0);
            _waiting.Add(owner, replyTo);
            if (write) _byProbe.WriterQueued(owner);
        }
        Report();
    }

    private void Notify(IReadOnlyList<RwsemGrant> grants)
    {
        foreach (var g in grants)
        {
            if (!_waiting.Remove(g.Owner, out var replyTo))
                throw new ModelInvariantException($"mmap_lock granted to owner {g.Owner}, who was not waiting");
            var waited = _sim.NowNs - g.QueuedAt.Ns;
            Observe(g.Owner, MmapLockChange.Acquired, g.Write, waited);
            OnGranted(g.Owner, g.Write, waited);
            replyTo.Tell(new LockGranted(g.Owner, g.Write, waited));
        }
        Report();
    }

    private void Observe(long owner, MmapLockChange change, bool write, long waitedNs)
    {
        if (_sim.IsObserved) _sim.Publish(new MmapLockObserved(_sim.NowNs, _mmId, owner, change, write, waitedNs, _sem.HandoffSet));
    }

    private void OnGranted(long owner, bool write, long waitedNs)
    {
        if (!write)
        {
            if (LockOwners.IsProbe(owner)) _byProbe.ProbeAcquiredRead();
            return;
        }
        var byProbe = _byProbe.WriterGranted(owner);
        _metrics?.Tell(new MmapWriterGranted(waitedNs, byProbe));
    }

    private void Accrue() => _byProbe.Accrue(_sim.NowNs, _sem.Waiters);

    private void Report()
    {
        if (_metrics is null) return;
        var now = _sem.Counters;
        if (now == _reported) return;
        _metrics.Tell(new MmapLockStatsDelta(now - _reported));
        _reported = now;
    }
}
