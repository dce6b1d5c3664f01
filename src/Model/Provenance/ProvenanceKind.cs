namespace ActorKernel.Model;

/// <summary>
/// What a provenance event records. A new cause or mutation point adds a member here, a hook where
/// the model makes the change, and a sentence in the explainer (Experiments/Explain/ExplainText).
/// </summary>
public enum ProvenanceKind
{
    /// <summary>set_pte_at(): a PTE was installed or changed (old and new state in the event).</summary>
    PteSet,

    /// <summary>pte_clear() / zap_pte_range(): a PTE was removed (munmap, exit_mmap, reclaim).</summary>
    PteCleared,

    /// <summary>copy_page_range() not called for the page's VMA: vma_needs_copy() was false.</summary>
    ForkSkippedPte,

    /// <summary>bpf_probe_read_user() walked the page tables: the first unreadable page, or none.</summary>
    ProbeWalk,

    /// <summary>mmap_read_trylock() failed: the holder and the wait list at that instant.</summary>
    RwsemTrylockFailed,

    /// <summary>A probe read finished (the read the explainer numbers), with its cause when it failed.</summary>
    ProbeReadDone,
}
