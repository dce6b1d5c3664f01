namespace ActorKernel.Actors.Configuration;

/// <summary><c>actor-kernel.costs.numa-*</c>: virtual nanoseconds of NUMA-balancing work (kernel-model.md §7).</summary>
public sealed record NumaCostsSettings
{
    /// <summary>do_numa_page() restoring the PTE (1–3 µs).</summary>
    public required long HintFaultNs { get; init; }

    /// <summary>migrate_misplaced_folio() per page (10–50 µs).</summary>
    public required long MigratePageNs { get; init; }

    /// <summary>task_numa_work() per 2 MiB chunk walked, under the mmap read lock.</summary>
    public required long ScanChunkNs { get; init; }

    /// <summary>change_pte_range() per PTE made PROT_NONE, under the mmap read lock.</summary>
    public required long ScanPteNs { get; init; }
}
