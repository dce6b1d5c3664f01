namespace ActorKernel.Model;

/// <summary>What a page-table walk finds for a virtual page.</summary>
public enum PteState
{
    /// <summary>pte_none(): no entry; the next access faults.</summary>
    None,
    /// <summary>Present and accessible.</summary>
    Present,
    /// <summary>NUMA hint PTE (change_prot_numa): _PAGE_PROTNONE set, _PAGE_PRESENT clear; accesses fault.</summary>
    ProtNone,
    /// <summary>Swap entry: not present; do_swap_page reads it back.</summary>
    Swapped,
}
