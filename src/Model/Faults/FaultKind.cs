namespace ActorKernel.Model;

/// <summary>Which branch of mm/memory.c handle_mm_fault() an access would take.</summary>
public enum FaultKind
{
    /// <summary>PTE present and permits the access: no fault.</summary>
    None,
    /// <summary>do_anonymous_page() read: maps the shared zero page.</summary>
    AnonZeroPage,
    /// <summary>do_anonymous_page() write: allocates a zeroed page (anon_vma_prepare).</summary>
    AnonAlloc,
    /// <summary>do_read_fault(): fault-around then filemap_fault().</summary>
    FileRead,
    /// <summary>do_cow_fault(): write to a private file page not yet mapped.</summary>
    FileWriteCow,
    /// <summary>do_shared_fault() / wp_page_shared(), and shmem (AnonShared) faults.</summary>
    FileShared,
    /// <summary>do_swap_page().</summary>
    SwapIn,
    /// <summary>do_numa_page(): PROT_NONE hint PTE on an accessible VMA.</summary>
    NumaHint,
    /// <summary>do_wp_page() → wp_page_copy(): write to a write-protected private page.</summary>
    Cow,
    /// <summary>
    /// An access through an old PTE on an MMU without hardware young management (arm64 access-flag
    /// fault, s390x invalid PTE): handle_pte_fault() → pte_mkyoung() and ptep_set_access_flags() (6.8, 6.18).
    /// </summary>
    AccessFlag,
    /// <summary>No VMA: SIGSEGV (bad_area).</summary>
    BadAddress,
    /// <summary>VMA forbids the access: SIGSEGV (bad_area_access_error).</summary>
    AccessError,
}

/// <summary>The access that would fault.</summary>
public enum AccessKind
{
    Read,
    Write,
}

/// <summary>Result of <see cref="FaultModel.Classify"/>.</summary>
/// <param name="Kind">The handle_mm_fault() branch.</param>
/// <param name="Major">VM_FAULT_MAJOR: I/O needed (page cache miss or swap read).</param>
public readonly record struct FaultClass(FaultKind Kind, bool Major)
{
    /// <summary>The fault could be resolved (not a SIGSEGV case, not "no fault").</summary>
    public bool IsResolvable => Kind is not (FaultKind.None or FaultKind.BadAddress or FaultKind.AccessError);
}
