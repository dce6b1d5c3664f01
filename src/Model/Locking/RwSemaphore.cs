namespace ActorKernel.Model;

/// <summary>
/// kernel/locking/rwsem.c (5.3+) as the mmap lock uses it (docs/kernel-model.md §3):
/// FIFO wait list, writer preference for new readers, batched reader wakeup, and the
/// handoff bit after RWSEM_WAIT_TIMEOUT, and (when enabled) a writer's optimistic spinning on a
/// reader-owned lock. Spinning on a writer owner is not modelled: the writer queues at once, which
/// changes the grant order but no trylock outcome (a writer holds either way).
/// Invariants are checked after every transition.
/// </summary>
public sealed class RwSemaphore
{
    /// <summary>RWSEM_WAIT_TIMEOUT: about 4 ms (DIV_ROUND_UP(HZ, 250) jiffies).</summary>
    public const long DefaultHandoffWaitNs = 4_000_000;

    /// <summary>MAX_READERS_WAKEUP in rwsem_mark_wake().</summary>
    public const int MaxReadersWakeup = 256;

    private readonly List<(long Owner, SimTime Since)> _readers = new();
    private readonly List<RwsemWaiter> _waiters = new();
    private SimTime _writerSince;
    private SimTime _lastNow = SimTime.Zero;
    private RwsemSpinner? _spinner;
    private bool _nonSpinnable;

    /// <param name="handoffWaitNs">RWSEM_WAIT_TIMEOUT.</param>
    /// <param name="writerSpinsOnReaders">
    /// rwsem_down_write_slowpath() → rwsem_optimistic_spin() spins on a reader-owned lock for
    /// <see cref="RspinThresholdNs"/> before queueing (6.8, 6.18); 4.14's rwsem-xadd.c does not
    /// (rwsem_can_spin_on_owner(): a reader owner is not spinnable).
    /// </param>
    public RwSemaphore(long handoffWaitNs = DefaultHandoffWaitNs, bool writerSpinsOnReaders = false)
    {
        ModelInvariantException.Check(handoffWaitNs > 0, $"rwsem: handoff wait {handoffWaitNs} ns must be > 0");
        HandoffWaitNs = handoffWaitNs;
        WriterSpinsOnReaders = writerSpinsOnReaders;
    }

    public long HandoffWaitNs { get; }

    /// <summary>Writers spin on a reader-owned lock before queueing (rwsem_optimistic_spin(), 5.3+).</summary>
    public bool WriterSpinsOnReaders { get; }

    /// <summary>The writer spinning on the readers now (outside the wait list: it sets no waiters flag), or null.</summary>
    public RwsemSpinner? Spinner => _spinner;

    /// <summary>
    /// kernel/locking/rwsem.c rwsem_rspin_threshold() (6.8.0 line 806, 6.18.2 the same): a writer spins on a
    /// reader-owned lock for (20 + readers) / 2 µs, readers capped at 30: 10 µs + 0.5 µs per reader, at most 25 µs.
    /// </summary>
    public static long RspinThresholdNs(int readers) => (20 + Math.Min(readers, 30)) * 1000L / 2;

    public int ReaderCount => _readers.Count;

    public long? WriterOwner { get; private set; }

    /// <summary>When the current writer got the lock (virtual ns), or null when no writer holds it.</summary>
    public long? WriterSinceNs => WriterOwner is null ? null : _writerSince.Ns;

    /// <summary>The wait list, first waiter first.</summary>
    public IReadOnlyList<RwsemWaiter> Waiters => _waiters;

    /// <summary>RWSEM_FLAG_HANDOFF.</summary>
    public bool HandoffSet { get; private set; }

    public bool IsFree => WriterOwner is null && _readers.Count == 0;

    /// <summary>Hold and wait totals (the wait of granted waiters only), trylocks, handoff bits set.</summary>
    public RwsemCounters Counters { get; private set; }

    /// <summary>Whether <paramref name="owner"/> holds the lock for read.</summary>
    public bool HoldsRead(long owner) => _readers.Exists(r => r.Owner == owner);

    /// <summary>
    /// down_read_trylock() / rwsem_read_trylock(): fails if a writer holds the lock, any
    /// waiter is queued (even a reader), or the handoff bit is set.
    /// </summary>
    public bool TryAcquireRead(long owner, SimTime now)
    {
        Advance(now);
        Counters = Counters with { TrylockAttempts = Counters.TrylockAttempts + 1 };
        bool ok = WriterOwner is null && _waiters.Count == 0 && !HandoffSet;
        if (ok) GrantRead(owner, now);
        else Counters = Counters with { TrylockFailures = Counters.TrylockFailures + 1 };
        if (!ok) ProvenanceLog.Current?.RwsemTrylockFailed(this, owner);
        CheckInvariants("down_read_trylock", owner);
        return ok;
    }

    /// <summary>down_write_trylock(): fails if the lock is held at all or any waiter is queued.</summary>
    public bool TryAcquireWrite(long owner, SimTime now)
    {
        Advance(now);
        Counters = Counters with { TrylockAttempts = Counters.TrylockAttempts + 1 };
        bool ok = IsFree && _waiters.Count == 0 && !HandoffSet;
        if (ok) GrantWrite(owner, now);
        else Counters = Counters with { TrylockFailures = Counters.TrylockFailures + 1 };
        CheckInvariants("down_write_trylock", owner);
        return ok;
    }

    /// <summary>
    /// down_read(): fast path when no writer holds and nobody waits; otherwise
    /// rwsem_down_read_slowpath() queues (a reader never jumps a waiting writer).
    /// Returns true when granted now; a queued reader is later returned by a release.
    /// </summary>
    public bool AcquireRead(long owner, SimTime now)
    {
        Advance(now);
        CheckNotWaiting(owner, "down_read");
        bool ok = WriterOwner is null && _waiters.Count == 0 && !HandoffSet;
        if (ok) GrantRead(owner, now);
        else _waiters.Add(new RwsemWaiter(owner, false, now));
        if (!ok) ProvenanceLog.Current?.RwsemQueued(owner, write: false);
        CheckInvariants("down_read", owner);
        return ok;
    }

    /// <summary>down_write(): granted when free and nobody waits, else rwsem_down_write_slowpath() queues.</summary>
    public bool AcquireWrite(long owner, SimTime now)
    {
        Advance(now);
        CheckNotWaiting(owner, "down_write");
        ModelInvariantException.Check(!HoldsRead(owner),
            $"rwsem down_write by {owner} while it holds the lock for read: self-deadlock");
        bool ok = IsFree && _waiters.Count == 0 && !HandoffSet;
        if (ok) GrantWrite(owner, now);
        else if (CanSpinOnReaders()) _spinner = new RwsemSpinner(owner, now, now + RspinThresholdNs(_readers.Count));
        else _waiters.Add(new RwsemWaiter(owner, true, now));
        if (!ok) ProvenanceLog.Current?.RwsemQueued(owner, write: true);
        CheckInvariants("down_write", owner);
        return ok;
    }

    /// <summary>
    /// rwsem_optimistic_spin() (6.8.0 lines 819-930): the spinner's threshold passed with readers still
    /// holding: it sets RWSEM_NONSPINNABLE (rwsem_set_nonspinnable()) and queues, setting the waiters flag.
    /// Returns false (nothing changes) when <paramref name="spin"/> is over: the lock was handed to the
    /// spinner meanwhile.
    /// </summary>
    public bool SpinTimedOut(RwsemSpinner spin, SimTime now)
    {
        Advance(now);
        if (_spinner != spin) return false;
        var s = spin;
        var owner = s.Owner;
        ModelInvariantException.Check(now >= s.DeadlineAt, $"rwsem: spinner {owner} stopped at {now}, before its threshold {s.DeadlineAt}");
        _spinner = null;
        _nonSpinnable = true;
        // Queued with its spin start, so its wait counts the spin; the handoff timeout then runs from the
        // spin start too, at most 25 µs early against RWSEM_WAIT_TIMEOUT's 4 ms.
        _waiters.Add(new RwsemWaiter(owner, true, s.Since));
        CheckInvariants("spin timeout", owner);
        return true;
    }

    // rwsem_can_spin_on_owner(): reader-owned and not RWSEM_NONSPINNABLE; the optimistic-spin queue
    // (osq_lock) lets one writer spin at a time, and the model queues any other writer at once.
    private bool CanSpinOnReaders() =>
        WriterSpinsOnReaders && WriterOwner is null && _readers.Count > 0 && _waiters.Count == 0 && !HandoffSet
        && !_nonSpinnable && _spinner is null;

    /// <summary>up_read(): drop one read hold; __up_read() calls rwsem_wake() only when no holder is left and waiters exist.</summary>
    public IReadOnlyList<RwsemGrant> ReleaseRead(long owner, SimTime now)
    {
        Advance(now);
        int i = _readers.FindIndex(r => r.Owner == owner);
        ModelInvariantException.Check(i >= 0, $"rwsem up_read by {owner} at {now}: not a reader holder");
        Counters = Counters with { ReadHoldNs = Counters.ReadHoldNs + (now - _readers[i].Since) };
        _readers.RemoveAt(i);
        ProvenanceLog.Current?.RwsemReleased(owner, write: false);
        // Readers left behind only by MAX_READERS_WAKEUP wait for the last of the woken readers.
        IReadOnlyList<RwsemGrant> granted = _readers.Count == 0 ? Wake(now) : [];
        CheckInvariants("up_read", owner);
        return granted;
    }

    /// <summary>up_write(): release; when waiters exist, rwsem_wake().</summary>
    public IReadOnlyList<RwsemGrant> ReleaseWrite(long owner, SimTime now)
    {
        Advance(now);
        ModelInvariantException.Check(WriterOwner == owner,
            $"rwsem up_write by {owner} at {now}: writer is {(WriterOwner is null ? "none" : WriterOwner.ToString())}");
        Counters = Counters with { WriteHoldNs = Counters.WriteHoldNs + (now - _writerSince) };
        WriterOwner = null;
        ProvenanceLog.Current?.RwsemReleased(owner, write: true);
        var granted = Wake(now);
        CheckInvariants("up_write", owner);
        return granted;
    }

    /// <summary>
    /// Sets RWSEM_FLAG_HANDOFF once the first waiter has waited ≥ <see cref="HandoffWaitNs"/>
    /// (rwsem_try_write_lock / rwsem_mark_wake check time_after(jiffies, waiter->timeout)).
    /// Called by every operation; callers may call it on a timer too.
    /// </summary>
    public void Tick(SimTime now)
    {
        Advance(now);
        CheckInvariants("tick", null);
    }

    private void Advance(SimTime now)
    {
        ModelInvariantException.Check(now >= _lastNow, $"rwsem: time went backwards ({now} < {_lastNow})");
        _lastNow = now;
        if (!HandoffSet && _waiters.Count > 0 && now - _waiters[0].QueuedAt >= HandoffWaitNs)
        {
            HandoffSet = true;
            Counters = Counters with { Handoffs = Counters.Handoffs + 1 };
        }
    }

    /// <summary>
    /// rwsem_wake() → rwsem_mark_wake(): a writer at the head is granted alone once the lock
    /// is free; a reader at the head is granted with every queued reader (up to
    /// MAX_READERS_WAKEUP), writers keep their places.
    /// </summary>
    private List<RwsemGrant> Wake(SimTime now)
    {
        var granted = new List<RwsemGrant>();
        if (IsFree) _nonSpinnable = false;
        // rwsem_try_write_lock_unqueued(): the spinner takes a lock that has no owner and no handoff bit,
        // ahead of the wait list (everyone queued after it started spinning).
        if (_spinner is { } s && IsFree && !HandoffSet)
        {
            _spinner = null;
            GrantWrite(s.Owner, now);
            Counters = Counters with { WriteWaitNs = Counters.WriteWaitNs + (now - s.Since) };
            granted.Add(new RwsemGrant(s.Owner, true, s.Since));
            return granted;
        }
        if (_waiters.Count == 0) return granted;
        var first = _waiters[0];
        if (first.Write)
        {
            if (!IsFree) return granted;
            _waiters.RemoveAt(0);
            GrantWrite(first.Owner, now);
            Counters = Counters with { WriteWaitNs = Counters.WriteWaitNs + (now - first.QueuedAt) };
            granted.Add(new RwsemGrant(first.Owner, true, first.QueuedAt));
        }
        else
        {
            if (WriterOwner is not null) return granted;
            for (int i = 0; i < _waiters.Count && granted.Count < MaxReadersWakeup;)
            {
                var w = _waiters[i];
                if (w.Write) { i++; continue; }
                _waiters.RemoveAt(i);
                GrantRead(w.Owner, now);
                Counters = Counters with { ReadWaitNs = Counters.ReadWaitNs + (now - w.QueuedAt) };
                granted.Add(new RwsemGrant(w.Owner, false, w.QueuedAt));
            }
        }
        // The handoff bit belonged to the old first waiter, which now holds the lock.
        HandoffSet = false;
        Advance(now);
        return granted;
    }

    private void GrantRead(long owner, SimTime now)
    {
        ModelInvariantException.Check(WriterOwner is null, $"rwsem: read grant to {owner} while {WriterOwner} holds for write");
        _readers.Add((owner, now));
        ProvenanceLog.Current?.RwsemGranted(owner, write: false);
    }

    private void GrantWrite(long owner, SimTime now)
    {
        ModelInvariantException.Check(IsFree, $"rwsem: write grant to {owner} while held (writer {WriterOwner}, readers {_readers.Count})");
        WriterOwner = owner;
        _writerSince = now;
        ProvenanceLog.Current?.RwsemGranted(owner, write: true);
    }

    private void CheckNotWaiting(long owner, string op)
    {
        ModelInvariantException.Check(WriterOwner != owner, $"rwsem {op} by {owner} while it holds the lock for write: self-deadlock");
        ModelInvariantException.Check(!_waiters.Exists(w => w.Owner == owner) && _spinner?.Owner != owner, $"rwsem {op} by {owner} while already queued or spinning");
    }

    private void CheckInvariants(string op, long? owner)
    {
        // The messages are built only when a check fails (ModelInvariantException.FailureMessage).
        ModelInvariantException.Check(!(WriterOwner is not null && _readers.Count > 0),
            $"rwsem after {op} by {owner} at {_lastNow}: writer {WriterOwner} and {_readers.Count} readers hold together");
        ModelInvariantException.Check(!HandoffSet || _waiters.Count > 0, $"rwsem after {op} by {owner} at {_lastNow}: handoff set with no waiter");
        ModelInvariantException.Check(_waiters.Count == 0 || !IsFree, $"rwsem after {op} by {owner} at {_lastNow}: lock free while {_waiters.Count} wait (lost wakeup)");
        ModelInvariantException.Check(_spinner is null || _readers.Count > 0, $"rwsem after {op} by {owner} at {_lastNow}: writer {_spinner?.Owner} spins on a lock readers do not own");
    }
}

/// <summary>A writer in rwsem_optimistic_spin() on a reader-owned lock.</summary>
/// <param name="Owner">The writer's owner id.</param>
/// <param name="Since">When it started spinning (its wait counts from here).</param>
/// <param name="DeadlineAt">When rwsem_rspin_threshold() runs out and it queues.</param>
public readonly record struct RwsemSpinner(long Owner, SimTime Since, SimTime DeadlineAt);
