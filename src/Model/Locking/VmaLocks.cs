namespace ActorKernel.Model;

/// <summary>
/// The per-VMA locks of one mm (include/linux/mmap_lock.h, mm/memory.c; 6.4+, the
/// sequence-count form of 6.5–6.18). A VMA is write-locked while its vm_lock_seq equals the
/// mm's mm_lock_seq: vma_start_write() sets it under the mmap write lock, and it stays
/// locked until mmap_write_unlock() → vma_end_write_all() bumps mm_lock_seq, which unlocks
/// every VMA at once. Readers (lock_vma_under_rcu() → vma_start_read()) never wait: they
/// fail on a write-locked VMA. A writer waits for the VMA's current readers to leave, and
/// meanwhile shuts out new readers as the version does (<see cref="VmaWriterShutsOutReaders"/>).
/// Only lookups by VMA identity; nothing here is iterated.
/// </summary>
public sealed class VmaLocks
{
    private readonly Dictionary<Vma, State> _state = new(ReferenceEqualityComparer.Instance);

    private sealed class State
    {
        public long LockSeq = -1;
        public int Readers;
        // When new readers start failing because a writer waits for this VMA (long.MaxValue: no writer waits).
        public long ShutOutFromNs = long.MaxValue;
    }

    /// <param name="shutOut">When a waiting writer makes new readers fail.</param>
    /// <param name="writerSpinsOnReaders">
    /// Under <see cref="VmaWriterShutsOutReaders.OnceQueued"/>, the vm_lock rwsem's writer first spins for
    /// <see cref="RwSemaphore.RspinThresholdNs"/> of the readers inside (rwsem_optimistic_spin()).
    /// </param>
    public VmaLocks(VmaWriterShutsOutReaders shutOut = VmaWriterShutsOutReaders.Never, bool writerSpinsOnReaders = false)
    {
        ShutOut = shutOut;
        WriterSpinsOnReaders = writerSpinsOnReaders;
    }

    public VmaWriterShutsOutReaders ShutOut { get; }

    public bool WriterSpinsOnReaders { get; }

    /// <summary>mm->mm_lock_seq.</summary>
    public long MmLockSeq { get; private set; }

    /// <summary>vma_start_read() calls.</summary>
    public long ReadAttempts { get; private set; }

    /// <summary>vma_start_read() calls that found the VMA write-locked.</summary>
    public long ReadFailures { get; private set; }

    /// <summary>vma_start_write() calls that had to wait for readers.</summary>
    public long WritesWaitedForReaders { get; private set; }

    /// <summary>vm_lock_seq == mm_lock_seq: write-locked in the current mmap write-lock section.</summary>
    public bool IsWriteLocked(Vma vma) => _state.TryGetValue(vma, out var s) && s.LockSeq == MmLockSeq;

    /// <summary>Readers inside the VMA (vm_lock->lock held for read).</summary>
    public int Readers(Vma vma) => _state.TryGetValue(vma, out var s) ? s.Readers : 0;

    /// <summary>
    /// vma_start_read() (6.8 include/linux/mm.h, 6.18 mm/mmap_lock.c): fails when the VMA is
    /// write-locked (vm_lock_seq == mm_lock_seq) or a writer waiting for its readers shuts readers out
    /// (<see cref="ShutOut"/>); otherwise the caller holds it for read.
    /// </summary>
    public bool TryStartRead(Vma vma, long nowNs)
    {
        ReadAttempts++;
        var s = Get(vma);
        if (s.LockSeq == MmLockSeq || nowNs >= s.ShutOutFromNs)
        {
            ReadFailures++;
            return false;
        }
        s.Readers++;
        return true;
    }

    /// <summary>vma_end_read().</summary>
    public void EndRead(Vma vma)
    {
        var s = Get(vma);
        ModelInvariantException.Check(s.Readers > 0, $"vma_end_read on {vma.Name} with no reader");
        s.Readers--;
    }

    /// <summary>
    /// vma_start_write() (caller holds the mmap lock for write): marks the VMA write-locked
    /// until <see cref="EndWriteAll"/>. Returns false while readers are inside: the kernel's
    /// writer sleeps until they leave, and the caller retries when a reader ends. The first
    /// failure starts the writer's wait, from which new readers are shut out as <see cref="ShutOut"/>
    /// says (6.18: at once; 6.8: once the vm_lock rwsem's writer has spun and queued).
    /// </summary>
    public bool TryStartWrite(Vma vma, long nowNs)
    {
        var s = Get(vma);
        if (s.LockSeq == MmLockSeq) return true;
        if (s.Readers > 0)
        {
            WritesWaitedForReaders++;
            if (s.ShutOutFromNs == long.MaxValue) s.ShutOutFromNs = ShutOutFrom(nowNs, s.Readers);
            return false;
        }
        s.LockSeq = MmLockSeq;
        s.ShutOutFromNs = long.MaxValue;
        return true;
    }

    private long ShutOutFrom(long nowNs, int readers) => ShutOut switch
    {
        VmaWriterShutsOutReaders.AtOnce => nowNs,
        VmaWriterShutsOutReaders.OnceQueued => nowNs + (WriterSpinsOnReaders ? RwSemaphore.RspinThresholdNs(readers) : 0),
        _ => long.MaxValue,
    };

    /// <summary>mmap_write_unlock() → vma_end_write_all(): every write-locked VMA is unlocked.</summary>
    public void EndWriteAll() => MmLockSeq++;

    /// <summary>A VMA left the mm (munmap): forget its lock once nobody reads it.</summary>
    public void Forget(Vma vma)
    {
        ModelInvariantException.Check(Readers(vma) == 0, $"VMA {vma.Name} removed while {Readers(vma)} readers hold its lock");
        _state.Remove(vma);
    }

    private State Get(Vma vma)
    {
        if (!_state.TryGetValue(vma, out var s))
        {
            s = new State();
            _state.Add(vma, s);
        }
        return s;
    }
}
