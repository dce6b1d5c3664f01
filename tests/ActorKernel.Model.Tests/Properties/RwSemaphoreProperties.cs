using CsCheck;

namespace ActorKernel.Model.Tests.Properties;

/// <summary>
/// State-machine test of <see cref="RwSemaphore"/> against a reference written from
/// kernel/locking/rwsem.c (6.8: rwsem_down_read_slowpath(), rwsem_down_write_slowpath(),
/// rwsem_mark_wake(), RWSEM_FLAG_HANDOFF) as docs/kernel-model.md §3.1 states what is modelled:
/// FIFO wait list, no reader overtakes a queued writer, a writer at the head is woken alone once
/// the lock is free, a reader at the head wakes every queued reader up to MAX_READERS_WAKEUP
/// (phase-fair), up_read() wakes only when the last holder leaves, and the hand-off bit after
/// RWSEM_WAIT_TIMEOUT. Random operation sequences run on both; after each
/// step the holders, the wait list, the hand-off bit and the grants must agree, and the
/// invariants below must hold on the model alone.
/// </summary>
public class RwSemaphoreProperties
{
    private const long HandoffNs = 4_000_000;

    /// <summary>What one generated step does.</summary>
    public enum OpKind { DownRead, DownWrite, TryRead, TryWrite, UpRead, UpWrite, Tick, ReaderBurst }

    /// <summary>One generated step: Pick chooses which reader releases, AdvanceNs moves virtual time first, Burst is how many readers queue at once.</summary>
    public readonly record struct Op(OpKind Kind, int Pick, long AdvanceNs, int Burst)
    {
        public override string ToString() => $"{Kind}(pick {Pick}, +{AdvanceNs} ns{(Kind == OpKind.ReaderBurst ? $", {Burst} readers" : "")})";
    }

    private static readonly Gen<Op> GenOp = Gen.Select(
        Gen.Frequency(
            (6, Gen.Const(OpKind.DownRead)), (4, Gen.Const(OpKind.DownWrite)), (2, Gen.Const(OpKind.TryRead)),
            (2, Gen.Const(OpKind.TryWrite)), (6, Gen.Const(OpKind.UpRead)), (4, Gen.Const(OpKind.UpWrite)),
            (1, Gen.Const(OpKind.Tick)), (1, Gen.Const(OpKind.ReaderBurst))),
        Gen.Int[0, 1000],
        // Mostly no time, sometimes past RWSEM_WAIT_TIMEOUT so the hand-off bit is exercised.
        Gen.Frequency((6, Gen.Const(0L)), (3, Gen.Long[1, HandoffNs / 2]), (1, Gen.Long[HandoffNs, 2 * HandoffNs])),
        // A burst is a few readers, or (rarely) enough to pass MAX_READERS_WAKEUP.
        Gen.Frequency((9, Gen.Int[1, 8]), (1, Gen.Int[RwSemaphore.MaxReadersWakeup - 4, RwSemaphore.MaxReadersWakeup + 8])),
        (k, p, t, b) => new Op(k, p, t, b));

    [Fact]
    public void RwSemaphore_AgreesWithTheReference_AndKeepsItsInvariants()
    {
        var seen = new Coverage();
        GenOp.Array[1, 40].Sample(ops => Replay(ops, seen), iter: 600, threads: 1, print: ops => string.Join("; ", ops));
        // So the property cannot pass by never reaching the interesting states.
        Assert.True(seen.Handoffs > 0 && seen.WriterWakes > 0 && seen.ReaderBatches > 0 && seen.LeftBehindReaders > 0,
            $"hand-offs {seen.Handoffs}, writer wake-ups {seen.WriterWakes}, reader batches {seen.ReaderBatches}, " +
            $"readers left by MAX_READERS_WAKEUP {seen.LeftBehindReaders}: the generator has gone soft");
    }

    private sealed class Coverage
    {
        public int Handoffs, WriterWakes, ReaderBatches, LeftBehindReaders;
    }

    /// <summary>
    /// Found by the property: the 257th queued reader (beyond MAX_READERS_WAKEUP) was woken by the
    /// first up_read() of the 256 woken readers. __up_read() calls rwsem_wake() only when the count
    /// has no holder left and waiters queued, so it waits for the last of them.
    /// </summary>
    [Fact]
    public void ReaderBeyondMaxReadersWakeup_WaitsForTheLastReaderToLeave()
    {
        var sem = new RwSemaphore(HandoffNs);
        var t = SimTime.Zero;
        sem.AcquireWrite(0, t);
        for (long r = 1; r <= RwSemaphore.MaxReadersWakeup + 1; r++) sem.AcquireRead(r, t);
        Assert.Equal(RwSemaphore.MaxReadersWakeup, sem.ReleaseWrite(0, t + 1).Count);
        for (long r = 1; r < RwSemaphore.MaxReadersWakeup; r++) Assert.Empty(sem.ReleaseRead(r, t + 2));
        var last = Assert.Single(sem.ReleaseRead(RwSemaphore.MaxReadersWakeup, t + 3));
        Assert.Equal(RwSemaphore.MaxReadersWakeup + 1, last.Owner);
        Replay([new Op(OpKind.DownWrite, 0, 0, 0), new Op(OpKind.ReaderBurst, 0, 0, RwSemaphore.MaxReadersWakeup + 1),
            new Op(OpKind.UpWrite, 0, 1, 0), new Op(OpKind.UpRead, 3, 1, 0), new Op(OpKind.DownWrite, 0, 1, 0)]);
    }

    private static void Replay(Op[] ops, Coverage? seen = null)
    {
        var sem = new RwSemaphore(HandoffNs);
        var reference = new ReferenceRwsem(HandoffNs);
        var now = SimTime.Zero;
        long nextOwner = 1;
        var step = 0;
        var queued = new List<long>();
        var wokenFromQueue = new List<long>();
        foreach (var op in ops)
        {
            step++;
            now += op.AdvanceNs;
            var where = $"step {step} {op} at {now.Ns} ns";
            var before = sem.Waiters.ToList();
            // RWSEM_FLAG_HANDOFF: once set, the lock goes to the first waiter and nobody takes it first.
            var handoffBefore = sem.HandoffSet;
            IReadOnlyList<RwsemGrant> grants = [];
            IReadOnlyList<(long Owner, bool Write)> expected = [];
            switch (op.Kind)
            {
                case OpKind.DownRead:
                case OpKind.DownWrite:
                {
                    var owner = nextOwner++;
                    bool write = op.Kind == OpKind.DownWrite;
                    bool got = write ? sem.AcquireWrite(owner, now) : sem.AcquireRead(owner, now);
                    That(reference.Acquire(owner, write, now) == got, () => $"{where}: granted {got}, reference disagrees");
                    That(!(handoffBefore && got), () => $"{where}: {owner} took the lock past the hand-off bit");
                    if (!got) queued.Add(owner);
                    break;
                }
                case OpKind.TryRead:
                case OpKind.TryWrite:
                {
                    var owner = nextOwner++;
                    bool write = op.Kind == OpKind.TryWrite;
                    bool got = write ? sem.TryAcquireWrite(owner, now) : sem.TryAcquireRead(owner, now);
                    That(reference.TryAcquire(owner, write, now) == got, () => $"{where}: trylock {got}, reference disagrees");
                    That(!(handoffBefore && got), () => $"{where}: trylock by {owner} succeeded past the hand-off bit");
                    break;
                }
                case OpKind.UpRead:
                {
                    if (reference.Readers.Count == 0) { sem.Tick(now); reference.Tick(now); break; }
                    var owner = reference.Readers[op.Pick % reference.Readers.Count];
                    grants = sem.ReleaseRead(owner, now);
                    expected = reference.Release(owner, now);
                    break;
                }
                case OpKind.UpWrite:
                {
                    if (reference.Writer is not { } owner) { sem.Tick(now); reference.Tick(now); break; }
                    grants = sem.ReleaseWrite(owner, now);
                    expected = reference.Release(owner, now);
                    break;
                }
                case OpKind.Tick:
                    sem.Tick(now);
                    reference.Tick(now);
                    break;
                case OpKind.ReaderBurst:
                    for (int i = 0; i < op.Burst; i++)
                    {
                        var owner = nextOwner++;
                        bool got = sem.AcquireRead(owner, now);
                        That(reference.Acquire(owner, false, now) == got, () => $"{where}: burst reader {owner} disagrees");
                        if (!got) queued.Add(owner);
                    }
                    break;
            }
            That(expected.SequenceEqual(grants.Select(g => (g.Owner, g.Write))),
                () => $"{where}: woke [{Owners(grants.Select(g => (g.Owner, g.Write)))}], reference [{Owners(expected)}]");
            CheckAgainstReference(sem, reference, where);
            CheckWakeRules(before, grants, sem, where);
            wokenFromQueue.AddRange(grants.Select(g => g.Owner));
            if (seen is null) continue;
            if (sem.HandoffSet) seen.Handoffs++;
            if (grants.Count > 0 && grants[0].Write) seen.WriterWakes++;
            if (grants.Count > 1) seen.ReaderBatches++;
            if (grants.Count == RwSemaphore.MaxReadersWakeup && sem.Waiters.Any(w => !w.Write)) seen.LeftBehindReaders++;
        }

        // No lost wakeup, as liveness: releasing every holder in turn wakes every waiter, each once.
        while (reference.Writer is not null || reference.Readers.Count > 0)
        {
            now += 1;
            var owner = reference.Writer ?? reference.Readers[0];
            var before = sem.Waiters.ToList();
            var grants = reference.Writer is not null ? sem.ReleaseWrite(owner, now) : sem.ReleaseRead(owner, now);
            var expected = reference.Release(owner, now);
            var where = $"draining: release by {owner} at {now.Ns} ns";
            That(expected.SequenceEqual(grants.Select(g => (g.Owner, g.Write))), () => $"{where}: woke differently from the reference");
            CheckAgainstReference(sem, reference, where);
            CheckWakeRules(before, grants, sem, where);
            wokenFromQueue.AddRange(grants.Select(g => g.Owner));
        }
        That(sem.IsFree && sem.Waiters.Count == 0, () => $"drained with {sem.Waiters.Count} waiters left");
        That(queued.Order().SequenceEqual(wokenFromQueue.Order()),
            () => $"queued {queued.Count} waiters, woke {wokenFromQueue.Count} ({wokenFromQueue.Count - wokenFromQueue.Distinct().Count()} twice)");
    }

    private static string Owners(IEnumerable<(long Owner, bool Write)> owners) => string.Join(", ", owners.Select(o => $"{o.Owner}{(o.Write ? "w" : "r")}"));

    private static void CheckAgainstReference(RwSemaphore sem, ReferenceRwsem reference, string where)
    {
        That(sem.WriterOwner == reference.Writer, () => $"{where}: writer {sem.WriterOwner}, reference {reference.Writer}");
        That(sem.ReaderCount == reference.Readers.Count, () => $"{where}: {sem.ReaderCount} readers, reference {reference.Readers.Count}");
        foreach (var r in reference.Readers) That(sem.HoldsRead(r), () => $"{where}: reader {r} lost its hold");
        That(sem.Waiters.Select(w => (w.Owner, w.Write)).SequenceEqual(reference.Waiters.Select(w => (w.Owner, w.Write))),
            () => $"{where}: wait list [{Owners(sem.Waiters.Select(w => (w.Owner, w.Write)))}], reference [{Owners(reference.Waiters.Select(w => (w.Owner, w.Write)))}]");
        That(sem.HandoffSet == reference.Handoff, () => $"{where}: hand-off {sem.HandoffSet}, reference {reference.Handoff}");

        // No lost wakeup: while anyone waits, someone holds the lock, whose release will wake them.
        That(sem.Waiters.Count == 0 || !sem.IsFree, () => $"{where}: lock free while {sem.Waiters.Count} wait (lost wakeup)");
        That(!(sem.WriterOwner is not null && sem.ReaderCount > 0), () => $"{where}: a writer and readers hold together");
    }

    // rwsem_mark_wake(): one release wakes either the head writer alone, or readers only, the head
    // first, in queue order, every queued reader up to MAX_READERS_WAKEUP, writers keep their places.
    private static void CheckWakeRules(List<RwsemWaiter> before, IReadOnlyList<RwsemGrant> grants, RwSemaphore sem, string where)
    {
        if (grants.Count == 0) return;
        That(grants[0].Owner == before[0].Owner, () => $"{where}: woke {grants[0].Owner} before the head {before[0].Owner}");
        if (grants[0].Write)
        {
            That(grants.Count == 1, () => $"{where}: a writer woken with others");
            That(sem.WriterOwner == grants[0].Owner, () => $"{where}: the head writer was woken but does not hold the lock");
            return;
        }
        Assert.All(grants, g => That(!g.Write, () => $"{where}: writer {g.Owner} woken with readers"));
        var queuedReaders = before.Where(w => !w.Write).Select(w => w.Owner).ToList();
        That(queuedReaders.Take(RwSemaphore.MaxReadersWakeup).SequenceEqual(grants.Select(g => g.Owner)),
            () => $"{where}: woke {grants.Count} readers, {queuedReaders.Count} were queued");
        That(before.Where(w => w.Write).Select(w => w.Owner).SequenceEqual(sem.Waiters.Where(w => w.Write).Select(w => w.Owner)),
            () => $"{where}: writers lost their places in the queue");
    }

    // Messages are built only when a check fails: the wait list can hold hundreds of readers.
    private static void That(bool condition, Func<string> message)
    {
        if (!condition) Assert.Fail(message());
    }

    /// <summary>The modelled rwsem, written from the kernel's description rather than from the model's code.</summary>
    private sealed class ReferenceRwsem(long handoffNs)
    {
        public List<long> Readers { get; } = [];
        public long? Writer { get; private set; }
        public List<(long Owner, bool Write, SimTime Since)> Waiters { get; } = [];
        public bool Handoff { get; private set; }

        private bool Free => Writer is null && Readers.Count == 0;

        // RWSEM_READ_FAILED_MASK: writer locked, waiters queued, hand-off set (the bit implies a waiter).
        private bool ReadFree => Writer is null && Waiters.Count == 0;

        private bool WriteFree => Free && Waiters.Count == 0;

        public bool Acquire(long owner, bool write, SimTime now)
        {
            Tick(now);
            if (write ? WriteFree : ReadFree)
            {
                Grant(owner, write);
                return true;
            }
            Waiters.Add((owner, write, now));
            return false;
        }

        public bool TryAcquire(long owner, bool write, SimTime now)
        {
            Tick(now);
            bool ok = write ? WriteFree : ReadFree;
            if (ok) Grant(owner, write);
            return ok;
        }

        public List<(long Owner, bool Write)> Release(long owner, SimTime now)
        {
            Tick(now);
            var woken = new List<(long, bool)>();
            if (Writer == owner) Writer = null;
            else
            {
                Assert.True(Readers.Remove(owner));
                // __up_read(): rwsem_wake() only once the count has no holder left.
                if (Readers.Count > 0) return woken;
            }
            if (Waiters.Count == 0) return woken;
            if (Waiters[0].Write)
            {
                if (!Free) return woken;
                woken.Add((Waiters[0].Owner, true));
            }
            else
            {
                if (Writer is not null) return woken;
                woken.AddRange(Waiters.Where(w => !w.Write).Take(RwSemaphore.MaxReadersWakeup).Select(w => (w.Owner, false)));
            }
            foreach (var (o, w) in woken)
            {
                Waiters.RemoveAll(x => x.Owner == o);
                Grant(o, w);
            }
            // The bit was the old head's; the new head may have waited long enough to set it again.
            Handoff = false;
            Tick(now);
            return woken;
        }

        public void Tick(SimTime now)
        {
            if (Waiters.Count > 0 && now - Waiters[0].Since >= handoffNs) Handoff = true;
        }

        private void Grant(long owner, bool write)
        {
            if (write) Writer = owner;
            else Readers.Add(owner);
        }
    }
}
