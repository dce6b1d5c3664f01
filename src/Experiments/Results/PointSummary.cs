using ActorKernel.Actors.Metrics;
using ActorKernel.Experiments.Planning;
using ActorKernel.Experiments.Running;
using ActorKernel.Model;

namespace ActorKernel.Experiments.Results;

/// <summary>One point × policy, pooled over its repetitions (seeds).</summary>
public sealed record PointSummary(
    int PointIndex, IReadOnlyList<PointValue> Point, ProbePolicy Policy, int Runs, int FailedRuns,
    long Reads, long Failed, long Skipped, double FailureRate, double RateLow95, double RateHigh95,
    IReadOnlyList<KeyValuePair<string, long>> CausesByCount, IReadOnlyDictionary<string, (long Total, long Failed)> ByTarget, long LatencyP99MaxNs)
{
    /// <summary>Probe-read latencies of every run of the point and policy, pooled (HdrHistogram add), for percentiles and CDFs.</summary>
    public PooledPolicyFigures Pooled { get; init; } = PooledPolicyFigures.Empty;

    /// <summary>NUMA-balancing totals of the point's runs, summed (what numa sweeps change: hint faults, migrations).</summary>
    public NumaTotals Numa { get; init; } = NumaTotals.Zero;

    /// <summary>
    /// Pool the records of each point × policy, in plan order. Their latencies come from
    /// <paramref name="latencies"/> when given (a journal's, whose records no longer hold histograms),
    /// else from the records' own histograms.
    /// </summary>
    public static IReadOnlyList<PointSummary> Of(IReadOnlyList<RunRecord> records, PointLatencies? latencies = null) =>
        records
            .GroupBy(r => (r.Spec.PointIndex, r.Spec.Policy))
            .OrderBy(g => g.Key.PointIndex).ThenBy(g => g.Key.Policy)
            .Select(g => Pool(g, latencies))
            .ToArray();

    private static PointSummary Pool(IGrouping<(int PointIndex, ProbePolicy Policy), RunRecord> g, PointLatencies? latencies)
    {
        var ok = g.Where(r => r.Metrics is not null).Select(r => r.Metrics!).ToArray();
        long reads = ok.Sum(m => m.ReadsTotal), failed = ok.Sum(m => m.ReadsFailed), skipped = ok.Sum(m => m.ReadsSkipped);
        var causes = ok.SelectMany(m => m.ByCause)
            .GroupBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(c => new KeyValuePair<string, long>(c.Key, c.Sum(kv => kv.Value)))
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .ToArray();
        var targets = new SortedDictionary<string, (long, long)>(StringComparer.Ordinal);
        foreach (var (name, t) in ok.SelectMany(m => m.ByTarget))
        {
            var (total, f) = targets.GetValueOrDefault(name);
            targets[name] = (total + t.Total, f + t.Failed);
        }
        var (low, high) = Wilson.Interval95(failed, reads);
        var first = g.First().Spec;
        return new PointSummary(
            g.Key.PointIndex, first.Point, g.Key.Policy, g.Count(), g.Count(r => !r.Succeeded),
            reads, failed, skipped, reads == 0 ? 0 : (double)failed / reads, low, high,
            causes, targets, ok.Length == 0 ? 0 : ok.Max(m => m.ProbeLatencyNs.P99))
        {
            Pooled = latencies is null ? PooledPolicyFigures.Of(ok) : PooledPolicyFigures.Of(ok, latencies.For(g.Key.PointIndex, g.Key.Policy)),
            Numa = ok.Aggregate(NumaTotals.Zero, (a, m) => new NumaTotals(a.HintFaults + m.Numa.HintFaults, a.HintFaultsLocal + m.Numa.HintFaultsLocal,
                a.HintFaultsRemote + m.Numa.HintFaultsRemote, a.Migrations + m.Numa.Migrations, a.ScanPasses + m.Numa.ScanPasses,
                a.ScanPassesSkipped + m.Numa.ScanPassesSkipped, a.PtesUpdated + m.Numa.PtesUpdated)),
        };
    }
}
