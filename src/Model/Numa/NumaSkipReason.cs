namespace ActorKernel.Model;

/// <summary>Why task_numa_work() passes over a whole VMA (kernel/sched/fair.c; trace_sched_skip_vma_numa names in brackets).</summary>
public enum NumaVmaSkip
{
    /// <summary>!vma_migratable(): VM_IO / VM_PFNMAP [unsuitable].</summary>
    NotMigratable,
    /// <summary>is_vm_hugetlb_page() [unsuitable].</summary>
    Hugetlb,
    /// <summary>VM_MIXEDMAP [unsuitable].</summary>
    MixedMap,
    /// <summary>A file (or shmem) mapping that is read-only or r-x: program and library text, rodata [shared_ro].</summary>
    SharedReadOnly,
    /// <summary>!vma_is_accessible(): PROT_NONE VMA [inaccessible].</summary>
    Inaccessible,
    /// <summary>6.4+: a VMA is not scanned during its first scan_delay once the mm has completed a pass [scan_delay].</summary>
    ScanDelay,
    /// <summary>6.7+: already scanned completely in this numa_scan_seq [seq_completed].</summary>
    SeqCompleted,
    /// <summary>6.4+: vma_is_accessed() false — the scanning task's PID has not hint-faulted here recently [pid_inactive].</summary>
    PidInactive,
}

/// <summary>Why change_pte_range() with MM_CP_PROT_NUMA leaves one PTE alone (mm/mprotect.c).</summary>
public enum NumaPageSkip
{
    /// <summary>pte_none or a swap entry: only present PTEs are changed.</summary>
    NotPresent,
    /// <summary>pte_protnone(): already a hint PTE.</summary>
    AlreadyProtNone,
    /// <summary>vm_normal_folio() is NULL: the shared zero page (and KSM pages, not modelled).</summary>
    ZeroPage,
    /// <summary>is_cow_mapping() and a shared folio, in the profile's form (<see cref="NumaSharedCowSkip"/>): page-cache pages of private mappings, the vDSO.</summary>
    SharedCow,
    /// <summary>folio_is_file_lru() and dirty: migration could not move it asynchronously (6.8, 6.18; not 4.14).</summary>
    DirtyFile,
    /// <summary>4.10+: the page is on the node a single-threaded process runs on (mm_users == 1, private VMA).</summary>
    LocalSingleThreaded,
}
