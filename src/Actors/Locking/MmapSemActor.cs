using ActorKernel.Actors.Engine;
using ActorKernel.Actors.Metrics;
using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Locking;

/// <summary>
/// One mm's mmap_lock (an rw_semaphore, kernel/locking/rwsem.c). The semantics live in
/// <see cref="RwSemaphore"/>; this actor turns requests into calls on it and tells each
/// waiter when the lock is handed to it, and ends a spinning writer's spin when its threshold passes.
/// With a metrics actor it also reports its statistics, and for every writer how long it waited
/// (spinning or queued) while a probe held the lock for read.
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

    public MmapSemActor(SimContext sim, int mmId, long handoffWaitNs, IActorRef? metrics = null, bool writerSpinsOnReaders = false)
    {
        _sim = sim;
        _mmId = mmId;
        _sem = new RwSemaphore(handoffWaitNs, writerSpinsOnReaders);
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
            case SpinThresholdPassed p:
                Accrue();
                if (_sem.SpinTimedOut(p.Spin, Now)) Observe(p.Spin.Owner, MmapLockChange.Queued, write: true, 0);
                Report();
                break;
            default:
                _sim.Unexpected(Self, message);
                break;
        }
    }

    /// <summary>The actor of mm <paramref name="mmId"/>'s mmap_lock; writers spin on readers when <paramref name="writerSpinsOnReaders"/> (kernel.features.rwsem-writer-spins-on-readers).</summary>
    public static Props Props(SimContext sim, int mmId, long handoffWaitNs, IActorRef? metrics = null, bool writerSpinsOnReaders = false) =>
        sim.Bind(SimProps.Create(() => new MmapSemActor(sim, mmId, handoffWaitNs, metrics, writerSpinsOnReaders)));

    /// <summary>rwsem_rspin_threshold() of <paramref name="Spin"/> has run out (if it still spins, it queues).</summary>
    private sealed record SpinThresholdPassed(RwsemSpinner Spin);

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
            var spin = write && _sem.Spinner is { } s && s.Owner == owner ? s : (RwsemSpinner?)null;
            Observe(owner, spin is null ? MmapLockChange.Queued : MmapLockChange.Spinning, write, 0);
            _waiting.Add(owner, replyTo);
            if (write) _byProbe.WriterQueued(owner);
            if (spin is { } sp) _sim.Schedule(sp.DeadlineAt - Now, Self, new SpinThresholdPassed(sp));
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

    private void Accrue() => _byProbe.Accrue(_sim.NowNs, _sem.Waiters, _sem.Spinner?.Owner);

    private void Report()
    {
        if (_metrics is null) return;
        var now = _sem.Counters;
        if (now == _reported) return;
        _metrics.Tell(new MmapLockStatsDelta(now - _reported));
        _reported = now;
    }
}
