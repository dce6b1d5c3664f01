namespace ActorKernel.Model;

/// <summary>
/// The writer sleeping in vma_start_write() (include/linux/mmap_lock.h, 6.5+) until a VMA's
/// readers leave: only the holder of the mmap write lock write-locks VMAs, so at most one writer
/// waits per mm. It holds what the writer does when a reader leaves (it retries; the VMA may
/// still have other readers, and then it waits again).
/// </summary>
/// <typeparam name="TRetry">The waiting writer's continuation.</typeparam>
public sealed class VmaWriteWaiter<TRetry> where TRetry : class
{
    private TRetry? _retry;

    public bool IsWaiting => _retry is not null;

    /// <summary>The writer could not write-lock a VMA with readers: it waits with <paramref name="retry"/>.</summary>
    public void Wait(TRetry retry, int mmId)
    {
        ModelInvariantException.Check(_retry is null, $"mm {mmId}: two writers wait for VMA readers, but only the mmap_lock write holder write-locks VMAs");
        _retry = retry;
    }

    /// <summary>vma_end_read(): a reader left; the waiting writer, if any, is woken and no longer waits.</summary>
    public TRetry? Wake()
    {
        var retry = _retry;
        _retry = null;
        return retry;
    }
}
