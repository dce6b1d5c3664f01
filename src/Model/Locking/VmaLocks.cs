namespace ActorKernel.Model;

/// <summary>
/// The per-VMA locks of one mm (include/linux/mmap_lock.h, mm/memory.c; 6.4+, the
/// sequence-count form of 6.5–6.18). A VMA is write-locked while its vm_lock_seq equals the
/// mm's mm_lock_seq: vma_start_write() sets it under the mmap write lock, and it stays
/// locked until mmap_write_unlock() → vma_end_write_all() bumps mm_lock_seq, which unlocks
/// every VMA at once. Readers (lock_vma_under_rcu() → vma_start_read()) never wait: they
/// fail on a write-locked VMA. A writer waits for the VMA's current readers to leave.
/// Only lookups by VMA identity; nothing here is iterated.
/// </summary>
public sealed class VmaLocks
{
    private readonly Dictionary<Vma, State> _state = new(ReferenceEqualityComparer.Instance);

    private sealed class State
    {
        public long LockSeq = -1;
        public int Readers;
    }

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
    /// include/linux/mmap_lock.h vma_start_read(): fails when the VMA is write-locked
    /// (vm_lock_seq == mm_lock_seq); otherwise the caller holds it for read.
    /// </summary>
    public bool TryStartRead(Vma vma)
    {
        ReadAttempts++;
        var s = Get(vma);
        if (s.LockSeq == MmLockSeq)
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
    /// until <see cref="EndWriteAll"/>. Returns false, changing nothing, while readers are
    /// inside: the kernel's down_write(&amp;vma->vm_lock->lock) sleeps until they leave, and
    /// the caller retries when the last reader ends. New readers fail meanwhile only once the
    /// mark is set; the model sets it when the writer gets in.
    /// </summary>
    public bool TryStartWrite(Vma vma)
    {
        var s = Get(vma);
        if (s.LockSeq == MmLockSeq) return true;
        if (s.Readers > 0)
        {
            WritesWaitedForReaders++;
            return false;
        }
        s.LockSeq = MmLockSeq;
        return true;
    }

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
