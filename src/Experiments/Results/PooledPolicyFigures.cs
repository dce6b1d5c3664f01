using ActorKernel.Actors.Metrics;
using HdrHistogram;

namespace ActorKernel.Experiments.Results;

/// <summary>
/// The policy figures of one point × policy, pooled over its seeds: latency percentiles from the
/// runs' histograms added together (not averaged percentiles), and sums of the counters.
/// </summary>
public sealed record PooledPolicyFigures(
    LongHistogram? Latency, LatencySummary LatencyNs, long StaleReads, long DeferredReads,
    long WriterOps, long WriterWaitNsTotal, long WriterWaitByProbeNsTotal, long ProbeFaultAndLockNsTotal,
    long TrylockAttempts, long TrylockFailures, long VmaReadFailures, long Handoffs)
{
    public static PooledPolicyFigures Empty { get; } = new(null, new LatencySummary(0, 0, 0, 0, 0), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Mean time per mmap-lock write acquisition spent waiting while a probe held the lock, in ns.</summary>
    public double WriterWaitByProbeNsPerOp => WriterOps == 0 ? 0 : (double)WriterWaitByProbeNsTotal / WriterOps;

    /// <summary>The figures of <paramref name="runs"/>, their latency histograms added together.</summary>
    public static PooledPolicyFigures Of(IReadOnlyList<RunMetrics> runs)
    {
        LongHistogram? pooled = null;
        foreach (var h in runs.Select(m => m.Policy.LatencyHistogram))
        {
            if (h is null) continue;
            pooled ??= new LongHistogram(h.HighestTrackableValue, h.NumberOfSignificantValueDigits);
            pooled.Add(h);
        }
        return Of(runs, pooled);
    }

    /// <summary>The figures of <paramref name="runs"/> with their latencies already pooled (<see cref="PointLatencies"/>).</summary>
    public static PooledPolicyFigures Of(IReadOnlyList<RunMetrics> runs, LongHistogram? pooled)
    {
        var latency = pooled is null || pooled.TotalCount == 0
            ? new LatencySummary(0, 0, 0, 0, 0)
            : new LatencySummary(pooled.GetValueAtPercentile(50), pooled.GetValueAtPercentile(90), pooled.GetValueAtPercentile(99),
                pooled.GetValueAtPercentile(99.9), pooled.GetMaxValue());
        long Sum(Func<PolicyMetrics, long> f) => runs.Sum(m => f(m.Policy));
        return new PooledPolicyFigures(pooled, latency,
            Sum(p => p.StaleReads), Sum(p => p.DeferredReads),
            Sum(p => p.Delay.WriterOps), Sum(p => p.Delay.WriterWaitNsTotal), Sum(p => p.Delay.WriterWaitByProbeNsTotal),
            Sum(p => p.Delay.ProbeFaultAndLockNsTotal),
            Sum(p => p.Locks.TrylockAttempts), Sum(p => p.Locks.TrylockFailures), Sum(p => p.Locks.VmaReadFailures), Sum(p => p.Locks.Handoffs));
    }
}
