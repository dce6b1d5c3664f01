namespace ActorKernel.Model;

/// <summary>What a fault under a per-VMA lock does when it needs an anon_vma the VMA does not have yet, by version.</summary>
public enum VmaLockAnonVmaRule
{
    /// <summary>
    /// Falls back to the mmap_lock: 6.8.0 mm/memory.c lock_vma_under_rcu() line 5635 refuses an anonymous VMA
    /// without an anon_vma ("vma_is_anonymous(vma) &amp;&amp; !vma->anon_vma"), and vmf_anon_prepare() line 3090
    /// returns VM_FAULT_RETRY for a copy-on-write fault that needs one.
    /// </summary>
    Fallback,

    /// <summary>
    /// Tries the mmap_lock: 6.18.2 mm/memory.c __vmf_anon_prepare() line 3630 takes mmap_read_trylock() for
    /// __anon_vma_prepare() and returns VM_FAULT_RETRY (fall back) only when that fails; lock_vma_under_rcu()
    /// (mm/mmap_lock.c) no longer refuses anonymous VMAs.
    /// </summary>
    MmapTrylock,
}
