namespace ActorKernel.Actors.Configuration;

/// <summary><c>actor-kernel.costs.numa-*</c>: virtual nanoseconds of NUMA-balancing work (kernel-model.md §7), each fixed or drawn per use (<see cref="CostDistribution"/>).</summary>
public sealed record NumaCostsSettings : DrawnCosts<NumaCostsSettings>
{
    // Fixed values (or the medians of the varying keys); a run's copy draws the varying ones (DrawnCosts.ForRun).
    private readonly long _hintFaultNs;
    private readonly long _migratePageNs;
    private readonly long _scanChunkNs;
    private readonly long _scanPteNs;

    /// <summary>do_numa_page() restoring the PTE (1–3 µs).</summary>
    public required long HintFaultNs { get => Draw("costs.numa-hint-fault-ns", _hintFaultNs); init => _hintFaultNs = value; }

    /// <summary>migrate_misplaced_folio() per page (10–50 µs).</summary>
    public required long MigratePageNs { get => Draw("costs.numa-migrate-page-ns", _migratePageNs); init => _migratePageNs = value; }

    /// <summary>task_numa_work() per 2 MiB chunk walked, under the mmap read lock.</summary>
    public required long ScanChunkNs { get => Draw("costs.numa-scan-chunk-ns", _scanChunkNs); init => _scanChunkNs = value; }

    /// <summary>change_pte_range() per PTE made PROT_NONE, under the mmap read lock.</summary>
    public required long ScanPteNs { get => Draw("costs.numa-scan-pte-ns", _scanPteNs); init => _scanPteNs = value; }
}
