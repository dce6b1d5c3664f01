namespace ActorKernel.Model.Tests.Locking;

// include/linux/mmap_lock.h vma_start_write() (6.5+): the writer sleeps until the VMA's readers leave.
public class VmaWriteWaiterTests
{
    [Fact]
    public void AWaitingWriter_IsWokenOnce_WhenAReaderLeaves()
    {
        var waiter = new VmaWriteWaiter<string>();
        Assert.Null(waiter.Wake());

        waiter.Wait("retry munmap", mmId: 3);

        Assert.True(waiter.IsWaiting);
        Assert.Equal("retry munmap", waiter.Wake());
        Assert.False(waiter.IsWaiting);
        Assert.Null(waiter.Wake());
    }

    [Fact]
    public void TwoWritersWaiting_BreaksAnInvariant_OnlyTheMmapWriteHolderWriteLocksVmas()
    {
        var waiter = new VmaWriteWaiter<string>();
        waiter.Wait("first", mmId: 3);
        var e = Assert.Throws<ModelInvariantException>(() => waiter.Wait("second", mmId: 3));
        Assert.Contains("mm 3", e.Message);
    }

    [Fact]
    public void WithVmaLocks_AWriterBlockedByAReader_GetsTheLockAfterTheReaderLeaves()
    {
        var locks = new VmaLocks();
        var vma = Fixtures.AnonVma(Fixtures.Base, 1);
        var waiter = new VmaWriteWaiter<Func<bool>>();
        Assert.True(locks.TryStartRead(vma, 0));
        Assert.False(locks.TryStartWrite(vma, 0));
        waiter.Wait(() => locks.TryStartWrite(vma, 0), mmId: 1);

        locks.EndRead(vma);

        Assert.True(waiter.Wake()!());
        Assert.True(locks.IsWriteLocked(vma));
    }
}
