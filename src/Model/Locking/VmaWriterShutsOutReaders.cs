namespace ActorKernel.Model;

/// <summary>When a writer waiting in vma_start_write() for a VMA's readers makes new vma_start_read() calls fail, by version.</summary>
public enum VmaWriterShutsOutReaders
{
    /// <summary>Never: readers get in until the writer has the VMA (no per-VMA locks, e.g. 4.14).</summary>
    Never,

    /// <summary>
    /// Once the writer has queued (6.8.0 include/linux/mm.h vma_start_write() line 716: down_write(&amp;vma->vm_lock->lock)):
    /// while it spins on the reader-owned rwsem (rwsem_optimistic_spin()) vma_start_read()'s down_read_trylock()
    /// still succeeds; once it queues, the waiters flag makes it fail.
    /// </summary>
    OnceQueued,

    /// <summary>
    /// At once (6.18.2 mm/mmap_lock.c __vma_enter_locked() line 60 adds VMA_LOCK_OFFSET to vm_refcnt before
    /// waiting; vma_start_read()'s __refcount_inc_not_zero_limited_acquire(…, VMA_REF_LIMIT) then fails).
    /// </summary>
    AtOnce,
}
