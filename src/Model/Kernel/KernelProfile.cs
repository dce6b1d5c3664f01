namespace ActorKernel.Model;

/// <summary>
/// Version-dependent kernel behaviour (docs/kernel-model.md §6). Presets live in
/// configuration, not in code; every switch defaults to false.
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

    /// <summary>kernel/sched/fair.c vma_is_accessed(): per-VMA PID activity filter (6.4+).</summary>
    public bool NumaVmaPidFilter { get; init; }

    /// <summary>mm/memory.c lock_vma_under_rcu(): per-VMA locks for user faults (6.4+).</summary>
    public bool PerVmaLocks { get; init; }

    /// <summary>
    /// kernel/bpf/verifier.c: sleepable (BPF_F_SLEEPABLE) fentry/LSM programs and bpf_copy_from_user(),
    /// which may fault (5.10+). Policy sleepable needs them: it runs as fentry/__x64_sys_execve.
    /// </summary>
    public bool SleepableFentry { get; init; }
}
