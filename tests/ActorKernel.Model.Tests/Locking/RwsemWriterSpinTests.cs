namespace ActorKernel.Model.Tests.Locking;

/// <summary>
/// A writer's optimistic spinning on a reader-owned rw_semaphore: kernel/locking/rwsem.c
/// rwsem_down_write_slowpath() → rwsem_can_spin_on_owner() / rwsem_optimistic_spin() /
/// rwsem_rspin_threshold() (6.8.0 lines 705-930 and 1113, 6.18.2 lines 803-927 and 1117), against
/// 4.14.177 kernel/locking/rwsem-xadd.c rwsem_can_spin_on_owner() (lines 373-398), which does not spin on readers.
/// </summary>
public sealed class RwsemWriterSpinTests
{
    private static readonly SimTime T0 = SimTime.Zero;

    // rwsem_rspin_threshold() 6.8.0 line 806: "if (readers > 30) readers = 30; delta = (20 + readers) * NSEC_PER_USEC / 2;"
    [Theory]
    [InlineData(0, 10_000)]
    [InlineData(1, 10_500)]
    [InlineData(4, 12_000)]
    [InlineData(30, 25_000)]
    [InlineData(300, 25_000)]
    public void RspinThreshold_Is10usPlusHalfUsPerReader_AtMost25us(int readers, long ns) =>
        Assert.Equal(ns, RwSemaphore.RspinThresholdNs(readers));

    // 6.8/6.18: the spinner is not on the wait list, so RWSEM_FLAG_WAITERS is clear and down_read_trylock() succeeds.
    [Fact]
    public void Profile68And618_WriterSpinsOnReaders_TrylockStillSucceeds()
    {
        var sem = new RwSemaphore(writerSpinsOnReaders: true);
        Assert.True(sem.AcquireRead(1, T0));
        Assert.True(sem.AcquireRead(2, T0));
        Assert.False(sem.AcquireWrite(9, T0));
        Assert.Equal(new RwsemSpinner(9, T0, T0 + 11_000), sem.Spinner);
        Assert.Empty(sem.Waiters);
        Assert.True(sem.TryAcquireRead(3, T0 + 5_000));
        Assert.True(sem.AcquireRead(4, T0 + 6_000));
    }

    // rwsem_try_write_lock_unqueued(): once the readers are gone the spinner takes the lock without ever queueing.
    [Fact]
    public void Profile68And618_ReadersLeaveWithinThreshold_SpinnerGetsTheLock()
    {
        var sem = new RwSemaphore(writerSpinsOnReaders: true);
        sem.AcquireRead(1, T0);
        Assert.False(sem.AcquireWrite(9, T0 + 1_000));
        var grants = sem.ReleaseRead(1, T0 + 4_000);
        Assert.Equal(new RwsemGrant(9, true, T0 + 1_000), Assert.Single(grants));
        Assert.Equal(9, sem.WriterOwner);
        Assert.Null(sem.Spinner);
        Assert.Equal(3_000, sem.Counters.WriteWaitNs);
    }

    // rwsem_optimistic_spin(): past the threshold the writer sets RWSEM_NONSPINNABLE and queues; trylocks fail from then on,
    // and the next writer does not spin (rwsem_can_spin_on_owner() sees RWSEM_NONSPINNABLE).
    [Fact]
    public void Profile68And618_ThresholdPasses_WriterQueues_TrylockFails_NextWriterQueuesAtOnce()
    {
        var sem = new RwSemaphore(writerSpinsOnReaders: true);
        sem.AcquireRead(1, T0);
        sem.AcquireWrite(9, T0);
        var spin = sem.Spinner!.Value;
        Assert.True(sem.SpinTimedOut(spin, spin.DeadlineAt));
        Assert.Null(sem.Spinner);
        Assert.True(Assert.Single(sem.Waiters).Write);
        Assert.False(sem.TryAcquireRead(2, spin.DeadlineAt + 1));
        Assert.False(sem.AcquireWrite(10, spin.DeadlineAt + 1));
        Assert.Null(sem.Spinner);
        Assert.Equal(2, sem.Waiters.Count);
        Assert.Equal(9, Assert.Single(sem.ReleaseRead(1, spin.DeadlineAt + 2)).Owner);
    }

    [Fact]
    public void SpinTimedOut_AfterTheSpinnerGotTheLock_ChangesNothing()
    {
        var sem = new RwSemaphore(writerSpinsOnReaders: true);
        sem.AcquireRead(1, T0);
        sem.AcquireWrite(9, T0);
        var spin = sem.Spinner!.Value;
        sem.ReleaseRead(1, T0 + 100);
        Assert.False(sem.SpinTimedOut(spin, spin.DeadlineAt));
        Assert.Equal(9, sem.WriterOwner);
        Assert.Empty(sem.Waiters);
    }

    // Only one writer spins at a time (osq_lock); the model queues a second one at once.
    [Fact]
    public void SecondWriter_WhileOneSpins_Queues()
    {
        var sem = new RwSemaphore(writerSpinsOnReaders: true);
        sem.AcquireRead(1, T0);
        sem.AcquireWrite(9, T0);
        Assert.False(sem.AcquireWrite(10, T0 + 1));
        Assert.Equal(9, sem.Spinner!.Value.Owner);
        Assert.Equal(10, Assert.Single(sem.Waiters).Owner);
        // The spinner still takes the lock first when the readers leave (it is unqueued, no handoff).
        Assert.Equal(9, Assert.Single(sem.ReleaseRead(1, T0 + 2)).Owner);
    }

    // 4.14.177 rwsem-xadd.c: a reader owner is RWSEM_ANONYMOUSLY_OWNED, not spinnable: the writer queues at once.
    [Fact]
    public void Profile414_WriterQueuesAtOnceOnReaders_TrylockFails()
    {
        var sem = new RwSemaphore(writerSpinsOnReaders: false);
        sem.AcquireRead(1, T0);
        Assert.False(sem.AcquireWrite(9, T0));
        Assert.Null(sem.Spinner);
        Assert.Single(sem.Waiters);
        Assert.False(sem.TryAcquireRead(2, T0 + 1));
    }

    // A writer owner: the model does not spin (the writer queues; the trylock outcome is the same).
    [Fact]
    public void WriterOwned_NoSpin()
    {
        var sem = new RwSemaphore(writerSpinsOnReaders: true);
        sem.AcquireWrite(1, T0);
        Assert.False(sem.AcquireWrite(9, T0));
        Assert.Null(sem.Spinner);
        Assert.Single(sem.Waiters);
    }
}
