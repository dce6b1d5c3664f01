using static ActorKernel.Model.Tests.Fixtures;

namespace ActorKernel.Model.Tests.Locking;

/// <summary>Per-VMA locks (include/linux/mmap_lock.h vma_start_read/vma_start_write/vma_end_write_all, 6.5+).</summary>
public sealed class VmaLocksTests
{
    private static readonly Vma Rodata = FileVma(Base, 16, new FileObject("prog", 16));
    private static readonly Vma Heap = AnonVma(Base + 0x10_0000, 4);

    [Fact]
    public void Unlocked_VmaStartRead_Succeeds()
    {
        var locks = new VmaLocks();
        Assert.True(locks.TryStartRead(Rodata, 0));
        Assert.Equal(1, locks.Readers(Rodata));
        locks.EndRead(Rodata);
        Assert.Equal(0, locks.Readers(Rodata));
    }

    [Fact]
    public void WriteLockedVma_ReaderFails_UntilMmapWriteUnlock()
    {
        // dup_mmap(): vma_start_write(mpnt) on each parent VMA; they stay locked until mmap_write_unlock().
        var locks = new VmaLocks();
        Assert.True(locks.TryStartWrite(Rodata, 0));
        Assert.False(locks.TryStartRead(Rodata, 0));
        Assert.True(locks.TryStartRead(Heap, 0));
        locks.EndRead(Heap);
        locks.EndWriteAll();
        Assert.True(locks.TryStartRead(Rodata, 0));
        Assert.Equal((2L, 1L), (locks.ReadAttempts - 1, locks.ReadFailures));
    }

    [Fact]
    public void Writer_WaitsForReadersInside()
    {
        var locks = new VmaLocks();
        Assert.True(locks.TryStartRead(Rodata, 0));
        Assert.False(locks.TryStartWrite(Rodata, 0));
        Assert.False(locks.IsWriteLocked(Rodata));
        locks.EndRead(Rodata);
        Assert.True(locks.TryStartWrite(Rodata, 0));
        Assert.True(locks.IsWriteLocked(Rodata));
        Assert.Equal(1, locks.WritesWaitedForReaders);
    }

    [Fact]
    public void EndRead_WithoutReader_IsAnInvariantViolation()
    {
        Assert.Throws<ModelInvariantException>(() => new VmaLocks().EndRead(Rodata));
    }

    // 6.18.2 mm/mmap_lock.c __vma_enter_locked() line 60: VMA_LOCK_OFFSET is added before the writer waits,
    // so vma_start_read() (line 161, VMA_REF_LIMIT) fails at once.
    [Fact]
    public void Profile618_WaitingWriter_ShutsOutNewReadersAtOnce()
    {
        var locks = new VmaLocks(VmaWriterShutsOutReaders.AtOnce, writerSpinsOnReaders: true);
        Assert.True(locks.TryStartRead(Rodata, 0));
        Assert.False(locks.TryStartWrite(Rodata, 1_000));
        Assert.False(locks.TryStartRead(Rodata, 1_000));
        Assert.True(locks.TryStartRead(Heap, 1_000));
        locks.EndRead(Rodata);
        Assert.True(locks.TryStartWrite(Rodata, 2_000));
        locks.EndWriteAll();
        Assert.True(locks.TryStartRead(Rodata, 3_000));
    }

    // 6.8.0 include/linux/mm.h vma_start_write() line 716: down_write(&vma->vm_lock->lock) spins on the reader
    // (rwsem_rspin_threshold(): 10.5 us for one) before it queues; vma_start_read()'s down_read_trylock() (line 663)
    // succeeds until then and fails after.
    [Fact]
    public void Profile68_WaitingWriter_ShutsOutNewReadersOnceQueued()
    {
        var locks = new VmaLocks(VmaWriterShutsOutReaders.OnceQueued, writerSpinsOnReaders: true);
        Assert.True(locks.TryStartRead(Rodata, 0));
        Assert.False(locks.TryStartWrite(Rodata, 1_000));
        Assert.True(locks.TryStartRead(Rodata, 1_000 + 10_499));
        Assert.False(locks.TryStartWrite(Rodata, 1_000 + 10_499));
        Assert.False(locks.TryStartRead(Rodata, 1_000 + 10_500));
    }

    [Fact]
    public void NoPerVmaLockRule_WaitingWriter_LetsReadersIn()
    {
        var locks = new VmaLocks();
        Assert.True(locks.TryStartRead(Rodata, 0));
        Assert.False(locks.TryStartWrite(Rodata, 0));
        Assert.True(locks.TryStartRead(Rodata, 1_000_000));
    }
}
