using ActorKernel.Model;

namespace ActorKernel.Actors.Configuration;

/// <summary><c>actor-kernel.machine</c> scheduling keys: the scheduler tick and the time slice.</summary>
public sealed record SchedSettings
{
    /// <summary>CONFIG_HZ: scheduler ticks per second; runtime is charged and task_tick_numa runs at each.</summary>
    public required int TickHz { get; init; }

    /// <summary>How long a task runs before another runnable task on its CPU gets a turn.</summary>
    public required long TimeSliceUs { get; init; }

    public long TickNs => 1_000_000_000L / TickHz;
}

/// <summary><c>actor-kernel.numa-balancing</c>: automatic NUMA balancing (kernel.numa_balancing and its sysctls).</summary>
public sealed record NumaBalancingSettings
{
    /// <summary>kernel.numa_balancing = 1. Off by default so workloads that do not study it are unchanged.</summary>
    public required bool Enabled { get; init; }

    public required NumaBalancingParams Params { get; init; }
}

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

/// <summary><c>actor-kernel.metrics</c>: what a run records besides its totals.</summary>
public sealed record MetricsSettings
{
    /// <summary>Width of a results.json timeline bucket, in virtual milliseconds.</summary>
    public required long TimelineBucketMs { get; init; }
}

/// <summary>
/// <c>actor-kernel.workload.numa-idle</c>: a multi-threaded process whose busy threads keep hot
/// pages and whose idle buffers and argv page go cold, probed at syscall tracepoints (the seed's Case 2).
/// </summary>
public sealed record NumaIdleSettings
{
    public required bool Enabled { get; init; }
    public required int DurationS { get; init; }
    public required int Threads { get; init; }
    public required int BusyThreads { get; init; }
    public required int HotPages { get; init; }
    public required int IdleBufferPages { get; init; }
    public required int KernelTouchedPages { get; init; }
    public required long ProbeIntervalMs { get; init; }
    public required long BusyBurstMs { get; init; }
    public required long BusyMigrateIntervalMs { get; init; }
    public required bool ReadIdleBuffer { get; init; }
    public required bool ReadArgStart { get; init; }
    public required bool ReadKernelTouchedBuffer { get; init; }
}
