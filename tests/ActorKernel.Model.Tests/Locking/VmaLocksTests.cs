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
        Assert.True(locks.TryStartRead(Rodata));
        Assert.Equal(1, locks.Readers(Rodata));
        locks.EndRead(Rodata);
        Assert.Equal(0, locks.Readers(Rodata));
    }

    [Fact]
    public void WriteLockedVma_ReaderFails_UntilMmapWriteUnlock()
    {
        // dup_mmap(): vma_start_write(mpnt) on each parent VMA; they stay locked until mmap_write_unlock().
        var locks = new VmaLocks();
        Assert.True(locks.TryStartWrite(Rodata));
        Assert.False(locks.TryStartRead(Rodata));
        Assert.True(locks.TryStartRead(Heap));
        locks.EndRead(Heap);
        locks.EndWriteAll();
        Assert.True(locks.TryStartRead(Rodata));
        Assert.Equal((2L, 1L), (locks.ReadAttempts - 1, locks.ReadFailures));
    }

    [Fact]
    public void Writer_WaitsForReadersInside()
    {
        var locks = new VmaLocks();
        Assert.True(locks.TryStartRead(Rodata));
        Assert.False(locks.TryStartWrite(Rodata));
        Assert.False(locks.IsWriteLocked(Rodata));
        locks.EndRead(Rodata);
        Assert.True(locks.TryStartWrite(Rodata));
        Assert.True(locks.IsWriteLocked(Rodata));
        Assert.Equal(1, locks.WritesWaitedForReaders);
    }

    [Fact]
    public void EndRead_WithoutReader_IsAnInvariantViolation()
    {
        Assert.Throws<ModelInvariantException>(() => new VmaLocks().EndRead(Rodata));
    }
}
