using ActorKernel.Actors.Metrics;
using ActorKernel.Experiments.Plots;
using ActorKernel.Experiments.Results;
using HdrHistogram;

namespace ActorKernel.Experiments.Tests.Results;

/// <summary>Aggregation across seeds: percentiles come from added histograms, not averaged percentiles.</summary>
public sealed class PooledFiguresTests
{
    private static RunMetrics Run(long[] latenciesNs, long writerOps, long byProbeNs, long stale)
    {
        var h = new LongHistogram(3_600_000_000_000L, 3);
        foreach (var v in latenciesNs) h.RecordValue(v);
        var empty = new SortedDictionary<string, long>();
        return new RunMetrics(latenciesNs.Length, latenciesNs.Length, 0, 0, empty, new SortedDictionary<string, TargetCounts>(),
            new LatencySummary(0, 0, 0, 0, 0), 0, 0, 0, 0, 0, 0)
        {
            Policy = PolicyMetrics.Empty with
            {
                LatencyHistogram = h,
                StaleReads = stale,
                DeferredReads = latenciesNs.Length,
                Delay = WorkloadDelay.Zero with { WriterOps = writerOps, WriterWaitByProbeNsTotal = byProbeNs },
            },
        };
    }

    [Fact]
    public void Percentiles_ArePooledFromTheHistograms()
    {
        // Seed A: 99 fast reads; seed B: one read of 1 ms. Pooled p99 is fast, max is 1 ms;
        // averaging the runs' maxima would say 0.5 ms.
        var a = Run(Enumerable.Repeat(100L, 99).ToArray(), 0, 0, 0);
        var b = Run(new[] { 1_000_000L }, 0, 0, 0);
        var p = PooledPolicyFigures.Of(new[] { a, b });
        Assert.Equal(100, p.Latency!.TotalCount);
        Assert.Equal(100, p.LatencyNs.P99);
        Assert.InRange(p.LatencyNs.Max, 999_000, 1_001_000);
    }

    [Fact]
    public void Delay_AndStaleness_AreSummed()
    {
        var p = PooledPolicyFigures.Of(new[] { Run(new[] { 100L }, 10, 500, 1), Run(new[] { 100L }, 30, 1500, 2) });
        Assert.Equal((40L, 2000L, 3L, 2L), (p.WriterOps, p.WriterWaitByProbeNsTotal, p.StaleReads, p.DeferredReads));
        Assert.Equal(50, p.WriterWaitByProbeNsPerOp);
    }

    [Fact]
    public void NoRuns_Empty()
    {
        var p = PooledPolicyFigures.Of(Array.Empty<RunMetrics>());
        Assert.Null(p.Latency);
        Assert.Equal(0, p.LatencyNs.Max);
    }

    [Theory]
    [InlineData("workload.mmap-churn.ops-per-s", "mmap-churn ops-per-s (operations/s)")]
    [InlineData("workload.fork-exec.cycle-interval-us", "fork-exec cycle-interval-us (µs)")]
    [InlineData("workload.fork-exec.spawn", "fork-exec spawn")]
    public void PlotAxes_CarryTheKeysUnit(string key, string label)
    {
        Assert.Equal(label, PlotWriter.AxisLabel(key));
    }
}
