namespace ActorKernel.Model.Tests.Locking;

// kernel/locking/rwsem.c (5.3+); docs/kernel-model.md §3.
public class RwSemaphoreTests
{
    private static readonly SimTime T0 = SimTime.Zero;

    [Fact]
    public void DownRead_SharesWithReaders()
    {
        var sem = new RwSemaphore();
        Assert.True(sem.AcquireRead(1, T0));
        Assert.True(sem.AcquireRead(2, T0));
        Assert.True(sem.TryAcquireRead(3, T0));
        Assert.Equal(3, sem.ReaderCount);
    }

    // rwsem_read_trylock(): RWSEM_WRITER_LOCKED in count → fail.
    [Fact]
    public void DownReadTrylock_FailsWhenAWriterHolds()
    {
        var sem = new RwSemaphore();
        Assert.True(sem.AcquireWrite(1, T0));
        Assert.False(sem.TryAcquireRead(2, T0));
        Assert.Equal(1, sem.Counters.TrylockAttempts);
        Assert.Equal(1, sem.Counters.TrylockFailures);
    }

    // rwsem_read_trylock(): RWSEM_FLAG_WAITERS in count → fail, even when only readers hold
    // and only a reader waits (here the 257th reader, left by MAX_READERS_WAKEUP).
    [Fact]
    public void DownReadTrylock_FailsWhenAReaderWaits()
    {
        var sem = new RwSemaphore();
        sem.AcquireWrite(0, T0);
        for (long r = 1; r <= RwSemaphore.MaxReadersWakeup + 1; r++) sem.AcquireRead(r, T0);
        sem.ReleaseWrite(0, T0 + 1);
        Assert.Null(sem.WriterOwner);
        Assert.False(Assert.Single(sem.Waiters).Write);

        Assert.False(sem.TryAcquireRead(1000, T0 + 2));
        Assert.False(sem.AcquireRead(1001, T0 + 2));
    }

    [Fact]
    public void DownReadTrylock_FailsWhileReadersHoldAndAWriterWaits()
    {
        var sem = new RwSemaphore();
        sem.AcquireRead(1, T0);
        Assert.False(sem.AcquireWrite(2, T0));
        Assert.False(sem.TryAcquireRead(3, T0));
    }

    // rwsem_down_read_slowpath(): a reader arriving while a writer waits queues (writer preference).
    [Fact]
    public void DownRead_QueuesBehindWaitingWriter()
    {
        var sem = new RwSemaphore();
        sem.AcquireRead(1, T0);
        Assert.False(sem.AcquireWrite(2, T0));
        Assert.False(sem.AcquireRead(3, T0));
        Assert.Equal(new[] { 2L, 3L }, sem.Waiters.Select(w => w.Owner));
    }

    // down_write_trylock(): any holder or waiter → fail.
    [Fact]
    public void DownWriteTrylock_FailsWhenHeldOrWaitedOn()
    {
        var sem = new RwSemaphore();
        sem.AcquireRead(1, T0);
        Assert.False(sem.TryAcquireWrite(2, T0));
        sem.ReleaseRead(1, T0);
        Assert.True(sem.TryAcquireWrite(2, T0));
        Assert.Equal(2L, sem.WriterOwner);
    }

    // rwsem_mark_wake(): a writer at the head is woken alone, only once the lock is free.
    [Fact]
    public void RwsemMarkWake_WriterAtHeadGrantedAloneWhenFree()
    {
        var sem = new RwSemaphore();
        sem.AcquireRead(1, T0);
        sem.AcquireRead(2, T0);
        sem.AcquireWrite(3, T0 + 10);
        sem.AcquireRead(4, T0 + 20);

        Assert.Empty(sem.ReleaseRead(1, T0 + 100));
        var granted = sem.ReleaseRead(2, T0 + 200);

        Assert.Equal(new[] { new RwsemGrant(3, true, T0 + 10) }, granted);
        Assert.Equal(3L, sem.WriterOwner);
        Assert.Single(sem.Waiters);
        Assert.Equal(190, sem.Counters.WriteWaitNs);
    }

    // rwsem_mark_wake(): a reader at the head wakes every queued reader (≤ 256); writers stay queued.
    [Fact]
    public void RwsemMarkWake_ReaderAtHeadWakesAllQueuedReaders()
    {
        var sem = new RwSemaphore();
        sem.AcquireWrite(1, T0);
        sem.AcquireRead(2, T0 + 1);
        sem.AcquireWrite(3, T0 + 2);
        sem.AcquireRead(4, T0 + 3);

        var granted = sem.ReleaseWrite(1, T0 + 10);

        Assert.Equal(new[] { 2L, 4L }, granted.Select(g => g.Owner));
        Assert.All(granted, g => Assert.False(g.Write));
        Assert.Equal(2, sem.ReaderCount);
        Assert.Equal(new[] { 3L }, sem.Waiters.Select(w => w.Owner));
        Assert.Equal(10, sem.Counters.WriteHoldNs);
        Assert.Equal(9 + 7, sem.Counters.ReadWaitNs);
    }

    [Fact]
    public void RwsemMarkWake_WakesAtMost256Readers()
    {
        var sem = new RwSemaphore();
        sem.AcquireWrite(0, T0);
        for (long r = 1; r <= 300; r++) sem.AcquireRead(r, T0);

        var granted = sem.ReleaseWrite(0, T0 + 1);

        Assert.Equal(RwSemaphore.MaxReadersWakeup, granted.Count);
        Assert.Equal(44, sem.Waiters.Count);
    }

    // RWSEM_WAIT_TIMEOUT: the first waiter sets RWSEM_FLAG_HANDOFF; trylocks fail; it gets the lock next.
    [Fact]
    public void RwsemHandoff_SetAfterWaitTimeoutAndClearedWhenFirstWaiterGetsLock()
    {
        var sem = new RwSemaphore(handoffWaitNs: 4_000_000);
        sem.AcquireRead(1, T0);
        sem.AcquireWrite(2, T0);

        sem.Tick(T0 + 3_999_999);
        Assert.False(sem.HandoffSet);
        sem.Tick(T0 + 4_000_000);
        Assert.True(sem.HandoffSet);
        Assert.Equal(1, sem.Counters.Handoffs);
        Assert.False(sem.TryAcquireRead(3, T0 + 4_000_001));

        var granted = sem.ReleaseRead(1, T0 + 5_000_000);

        Assert.Equal(2L, Assert.Single(granted).Owner);
        Assert.False(sem.HandoffSet);
    }

    [Fact]
    public void UpRead_WithoutHolding_IsInvariantViolation()
    {
        var sem = new RwSemaphore();
        Assert.Throws<ModelInvariantException>(() => sem.ReleaseRead(1, T0));
        sem.AcquireRead(1, T0);
        Assert.Throws<ModelInvariantException>(() => sem.ReleaseWrite(1, T0));
    }

    [Fact]
    public void DownWrite_ByCurrentWriter_IsSelfDeadlock()
    {
        var sem = new RwSemaphore();
        sem.AcquireWrite(1, T0);
        Assert.Throws<ModelInvariantException>(() => sem.AcquireWrite(1, T0));
        Assert.Throws<ModelInvariantException>(() => sem.AcquireRead(1, T0));
    }

    [Fact]
    public void TimeGoingBackwards_IsInvariantViolation()
    {
        var sem = new RwSemaphore();
        sem.AcquireRead(1, T0 + 10);
        Assert.Throws<ModelInvariantException>(() => sem.ReleaseRead(1, T0 + 5));
    }
}
