namespace ActorKernel.Model;

/// <summary>One page-table entry as the model needs it.</summary>
/// <param name="State">Present, NUMA-hint ProtNone, Swapped or None.</param>
/// <param name="Writable">pte_write().</param>
/// <param name="IsZeroPage">Maps the shared zero page (my_zero_pfn) after an anonymous read fault.</param>
/// <param name="IsAnon">PageAnon(): an anonymous (or CoW-copied) frame.</param>
/// <param name="HomeNode">NUMA node of the frame.</param>
/// <param name="FilePage">Page-cache page index for file/shmem pages; -1 for anon and the zero page.</param>
public readonly record struct Pte(PteState State, bool Writable, bool IsZeroPage, bool IsAnon, int HomeNode, long FilePage)
{
    /// <summary>pte_none().</summary>
    public static Pte Empty => new(PteState.None, false, false, false, 0, -1);

    /// <summary>The shared zero page, read-only (do_anonymous_page read path).</summary>
    public static Pte ZeroPage => new(PteState.Present, false, true, false, 0, -1);

    public static Pte Anon(bool writable, int homeNode = 0) => new(PteState.Present, writable, false, true, homeNode, -1);

    public static Pte FilePageCache(long filePage, bool writable, int homeNode = 0) =>
        new(PteState.Present, writable, false, false, homeNode, filePage);

    /// <summary>
    /// !pte_young(): the accessed bit (arm64 PTE_AF) is clear. copy_present_pte() makes every PTE it
    /// copies at fork old (mm/memory.c pte_mkold(), 4.14 copy_one_pte(), 6.8, 6.18), and reclaim's
    /// ptep_clear_flush_young() ages PTEs; whether an access through an old PTE faults is the
    /// architecture's (<see cref="ArchCaps.FaultsOnOldPte"/>). A PTE a fault installs is young.
    /// </summary>
    public bool Old { get; init; }

    /// <summary>Maps a page-cache page (Present or ProtNone), so it counts toward the file's mapcount.</summary>
    public bool MapsFilePage => FilePage >= 0 && State is PteState.Present or PteState.ProtNone;
}
