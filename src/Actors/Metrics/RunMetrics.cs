namespace ActorKernel.Actors.Metrics;

/// <summary>Reads and failures of one probe target (filename, argv-array, argv).</summary>
public sealed record TargetCounts(long Total, long Failed, long Skipped);

/// <summary>Latency percentiles of probe reads, in virtual nanoseconds.</summary>
public sealed record LatencySummary(long P50, long P90, long P99, long P999, long Max);

/// <summary>What one run measured. Maps are sorted by key so output never depends on hashing.</summary>
public sealed record RunMetrics(
    long ReadsTotal,
    long ReadsOk,
    long ReadsFailed,
    long ReadsSkipped,
    IReadOnlyDictionary<string, long> ByCause,
    IReadOnlyDictionary<string, TargetCounts> ByTarget,
    LatencySummary ProbeLatencyNs,
    long MinorFaults,
    long MajorFaults,
    long Forks,
    long Execs,
    long ForkWriteLockHoldNsTotal,
    long ForkWriteLockHoldNsMax)
{
    /// <summary>Failed reads that were fixed-size reads failing past the string's NUL (probe.read-size = fixed): the _str helper would have read them. Counted in ByCause too, by the unreadable page's cause.</summary>
    public long ReadsPastString { get; init; }

    /// <summary>NUMA-balancing totals (all zero when it is off).</summary>
    public NumaTotals Numa { get; init; } = NumaTotals.Zero;

    /// <summary>The run over virtual time, in buckets of metrics.timeline-bucket-ms (or <see cref="TimelineWidenedBucketNs"/>), in time order (empty buckets omitted).</summary>
    public IReadOnlyList<TimelineBucket> Timeline { get; init; } = Array.Empty<TimelineBucket>();

    /// <summary>The timeline's bucket width when the run was too long for the configured one (Timeline.MaxBuckets), else null.</summary>
    public long? TimelineWidenedBucketNs { get; init; }

    /// <summary>The NUMA scan passes, in the order they ended: the first Timeline.MaxScanPasses of them.</summary>
    public IReadOnlyList<ScanPass> ScanPasses { get; init; } = Array.Empty<ScanPass>();

    /// <summary>Scan passes counted in <see cref="Numa"/> but not listed in <see cref="ScanPasses"/> or the timeline.</summary>
    public long ScanPassesOmitted { get; init; }

    /// <summary>Free pages and reclaim totals at the end of a run with the memory model (the memory-pressure workload); null otherwise.</summary>
    public MemoryTotals? Memory { get; init; }

    /// <summary>Lock statistics, workload delay, staleness and the latency histogram (the probe policies' figures).</summary>
    public PolicyMetrics Policy { get; init; } = PolicyMetrics.Empty;
}
