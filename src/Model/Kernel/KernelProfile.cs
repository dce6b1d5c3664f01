namespace ActorKernel.Model;

/// <summary>
/// Version-dependent kernel behaviour (docs/kernel-model.md §6). Presets live in
/// configuration, not in code; every switch defaults to false (none).
/// </summary>
public sealed record KernelProfile
{
    public required string Name { get; init; }

    /// <summary>mm/memory.c vma_needs_copy(): VM_HUGETLB forced a PTE copy before ~6.0.</summary>
    public bool HugetlbCopiedAtFork { get; init; }

    /// <summary>mm/memory.c vma_needs_copy(): userfaultfd_wp() forces a copy (5.19+).</summary>
    public bool UffdWpForcesCopy { get; init; }

    /// <summary>kernel/fork.c dup_mmap(): vma_start_write() on every parent VMA (6.5+).</summary>
    public bool ForkWriteLocksVmas { get; init; }

    /// <summary>kernel/sched/fair.c task_numa_work(): down_read_trylock() / mmap_read_trylock(), skipping the pass when the lock is taken, instead of down_read() (4.13+, and 4.12.4 stable).</summary>
    public bool NumaScanTrylock { get; init; }

    /// <summary>mm/mprotect.c change_pte_range(): skip local pages when mm_users == 1 (4.10+).</summary>
    public bool NumaSkipLocalSingleThreaded { get; init; }

    /// <summary>mm/mprotect.c change_pte_range(): which shared copy-on-write pages are not hinted (none in 4.14).</summary>
    public NumaSharedCowSkip NumaSkipSharedCow { get; init; }

    /// <summary>
    /// mm/mprotect.c change_pte_range(): folio_is_file_lru() &amp;&amp; folio_test_dirty() pages are not hinted
    /// (6.8.0 lines 140-142, 6.18.2 line 149; absent in 4.14.177).
    /// </summary>
    public bool NumaSkipDirtyFile { get; init; }

    /// <summary>
    /// kernel/sched/fair.c task_numa_work() / vma_is_accessed(): per-VMA state (scan delay, once per
    /// sequence) and the PID activity filter with its first-two-sequences and scan-offset rules (6.4,
    /// in the form read in 6.8.0).
    /// </summary>
    public bool NumaVmaPidFilter { get; init; }

    /// <summary>
    /// kernel/sched/fair.c task_numa_work(): a pass that skipped PID-inactive VMAs and reached the end
    /// retries with vma_pids_forced and scans one of them (6.7+; 6.8.0 line 3406, 6.18.2 line 3515).
    /// </summary>
    public bool NumaVmaPidsForced { get; init; }

    /// <summary>
    /// kernel/sched/fair.c vma_is_accessed(): numa_scan_seq &gt; prev_scan_seq + get_nr_threads()
    /// admits a VMA (6.11+; 6.18.2 line 3275, absent in 6.8.0).
    /// </summary>
    public bool NumaVmaSeqThreadsRule { get; init; }

    /// <summary>mm/memory.c lock_vma_under_rcu(): per-VMA locks for user faults (6.4+).</summary>
    public bool PerVmaLocks { get; init; }

    /// <summary>What a fault under a per-VMA lock does when the VMA has no anon_vma yet (6.8: fall back; 6.18: mmap_read_trylock()).</summary>
    public VmaLockAnonVmaRule VmaLockAnonVma { get; init; }

    /// <summary>When a writer waiting in vma_start_write() makes new vma_start_read() fail (6.8: once queued; 6.18: at once).</summary>
    public VmaWriterShutsOutReaders VmaWriterShutsOutReaders { get; init; }

    /// <summary>
    /// kernel/locking/rwsem.c rwsem_optimistic_spin(): a writer spins on a reader-owned rw_semaphore for
    /// rwsem_rspin_threshold() before queueing (5.3+; read in 6.8.0 and 6.18.2; 4.14.177 rwsem-xadd.c spins
    /// only on a running writer owner).
    /// </summary>
    public bool RwsemWriterSpinsOnReaders { get; init; }

    /// <summary>
    /// kernel/bpf/verifier.c: sleepable (BPF_F_SLEEPABLE) fentry/LSM programs and bpf_copy_from_user(),
    /// which may fault (5.10+). Policy sleepable needs them: it runs as fentry/__x64_sys_execve.
    /// </summary>
    public bool SleepableFentry { get; init; }
}
