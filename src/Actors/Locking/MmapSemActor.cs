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

    public MmapSemActor(SimContext sim, long handoffWaitNs)
    {
        _sim = sim;
        _sem = new RwSemaphore(handoffWaitNs);
        Receive<AcquireRead>(m => Acquire(m.Owner, m.ReplyTo, write: false));
        Receive<AcquireWrite>(m => Acquire(m.Owner, m.ReplyTo, write: true));
        Receive<TryAcquireRead>(m => m.ReplyTo.Tell(new TryLockResult(m.Owner, _sem.TryAcquireRead(m.Owner, Now))));
        Receive<ReleaseRead>(m => Notify(_sem.ReleaseRead(m.Owner, Now)));
        Receive<ReleaseWrite>(m => Notify(_sem.ReleaseWrite(m.Owner, Now)));
    }

    public static Props Props(SimContext sim, long handoffWaitNs) =>
        sim.Bind(Akka.Actor.Props.Create(() => new MmapSemActor(sim, handoffWaitNs)));

    private SimTime Now => new(_sim.NowNs);

    private void Acquire(long owner, IActorRef replyTo, bool write)
    {
        var granted = write ? _sem.AcquireWrite(owner, Now) : _sem.AcquireRead(owner, Now);
        if (granted) replyTo.Tell(new LockGranted(owner, write, 0));
        else _waiting.Add(owner, replyTo);
    }

    private void Notify(IReadOnlyList<RwsemGrant> grants)
    {
        foreach (var g in grants)
        {
            if (!_waiting.Remove(g.Owner, out var replyTo))
                throw new ModelInvariantException($"mmap_lock granted to owner {g.Owner}, who was not waiting");
            replyTo.Tell(new LockGranted(g.Owner, g.Write, _sim.NowNs - g.QueuedAt.Ns));
        }
    }
}
