namespace ActorKernel.Model;

/// <summary>Which copy-on-write pages mm/mprotect.c change_pte_range() leaves alone under MM_CP_PROT_NUMA, by version.</summary>
public enum NumaSharedCowSkip
{
    /// <summary>None (4.14.177 change_pte_range() lines 80-97): every present normal page of a CoW mapping is hinted.</summary>
    None,

    /// <summary>
    /// is_cow_mapping() &amp;&amp; folio_ref_count() != 1 (6.8.0 change_pte_range() lines 130-133): every
    /// page-cache page of a private mapping (the page cache holds a reference) and the vDSO's pages.
    /// </summary>
    RefCount,

    /// <summary>
    /// is_cow_mapping() &amp;&amp; (folio_maybe_dma_pinned() || folio_maybe_mapped_shared()) (6.18.2
    /// prot_numa_skip() lines 140-142): a private file page another mm maps, and the vDSO's pages.
    /// </summary>
    MappedShared,
}
