namespace ActorKernel.Model;

/// <summary>Why a bpf_probe_read_user() found no present, readable PTE (docs/kernel-model.md §1).</summary>
public enum FailureCause
{
    /// <summary>VMA exists, PTE none, and the parent had the page present at fork (vma_needs_copy() false).</summary>
    ForkSkippedPte,
    /// <summary>VMA exists, PTE none for another reason (never touched, evicted, wiped).</summary>
    NotMapped,
    /// <summary>NUMA hint PTE (PROT_NONE) left by task_numa_work().</summary>
    NumaProtNone,
    /// <summary>Swap entry.</summary>
    SwappedOut,
    /// <summary>No VMA at the address.</summary>
    BadAddress,
    /// <summary>A faulting policy's mmap_read_trylock() failed: a writer holds the mmap lock, or someone waits for it (kernel-model.md §3, §5).</summary>
    MmapLockContended,
    /// <summary>trylock-vma: vma_start_read() failed because the VMA is write-locked (fork's dup_mmap on 6.5+, mprotect/munmap of that VMA).</summary>
    VmaLocked,
    /// <summary>A faulting policy found the fault would be major (page-cache miss, swap-in): it would sleep on I/O.</summary>
    MajorFault,
    /// <summary>A faulting policy found an anonymous first touch (zero page or allocation) and allow-alloc is off.</summary>
    NeedsAlloc,
    /// <summary>Present but old (pte_mkold() at fork, or aged by reclaim) on an MMU that faults on old PTEs: arm64 without hardware access-flag management, s390x.</summary>
    PteOld,
}

public static class FailureCauseExtensions
{
    /// <summary>The cause's name in results tables; a public contract, do not change.</summary>
    public static string ToKebab(this FailureCause cause) => cause switch
    {
        FailureCause.ForkSkippedPte => "fork-skipped-pte",
        FailureCause.NotMapped => "not-mapped",
        FailureCause.NumaProtNone => "numa-protnone",
        FailureCause.SwappedOut => "swapped-out",
        FailureCause.BadAddress => "bad-address",
        FailureCause.MmapLockContended => "mmap-lock-contended",
        FailureCause.VmaLocked => "vma-locked",
        FailureCause.MajorFault => "major-fault",
        FailureCause.NeedsAlloc => "needs-alloc",
        FailureCause.PteOld => "pte-old",
        _ => throw new ModelInvariantException($"FailureCause {(int)cause} has no kebab name"),
    };

    /// <summary>The cause in one line, for the legend under the printed table (docs/results.md has the full table).</summary>
    public static string Describe(this FailureCause cause) => cause switch
    {
        FailureCause.ForkSkippedPte => "resident and mapped in the parent, but fork() did not copy the PTE (vma_needs_copy) and the child has not touched it",
        FailureCause.NotMapped => "no PTE: never mapped in this address space (a minor or major fault away)",
        FailureCause.NumaProtNone => "the PTE was made PROT_NONE by NUMA balancing (pagemap still says present)",
        FailureCause.SwappedOut => "the page is on swap (a major fault)",
        FailureCause.BadAddress => "no VMA covers the address",
        FailureCause.MmapLockContended => "the policy's down_read_trylock(mmap_lock) failed: a writer held it or waited",
        FailureCause.VmaLocked => "the policy's per-VMA lock was write-locked (fork, mprotect, munmap of that VMA)",
        FailureCause.MajorFault => "the policy refused a major fault (page not in the page cache, or swapped)",
        FailureCause.NeedsAlloc => "the policy refused an anonymous first touch (it would allocate; probe.allow-alloc is off)",
        FailureCause.PteOld => "the PTE is present but old (fork's pte_mkold, reclaim aging) and this CPU faults on old PTEs (arm64 without hardware access flag, s390x)",
        _ => throw new ModelInvariantException($"FailureCause {(int)cause} has no description"),
    };
}
