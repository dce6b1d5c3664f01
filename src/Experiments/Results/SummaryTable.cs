using System.Globalization;

namespace ActorKernel.Experiments.Results;

/// <summary>
/// The human table: one row per point × policy. Built once as text cells, so the terminal
/// rendering and summary.md show exactly the same thing.
/// </summary>
public sealed record SummaryTable(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    /// <summary>Lines printed under the table (a sweep that changed nothing the table shows, the explain command).</summary>
    public IReadOnlyList<string> Notes { get; init; } = Array.Empty<string>();

    public static SummaryTable Of(IReadOnlyList<PointSummary> summaries)
    {
        var keys = summaries.SelectMany(s => s.Point.Select(p => p.Key)).Distinct(StringComparer.Ordinal).ToArray();
        var headers = keys.Select(ShortKey)
            .Concat(new[] { "policy", "runs", "reads", "failed", "failure rate (95% CI)", "top causes", "failed by target",
                "latency p50/p99/max (virtual)", "stale", "writer wait by probe", NumaHeader })
            .ToArray();
        var rows = summaries.Select(s =>
        {
            var point = keys.Select(k => s.Point.FirstOrDefault(p => p.Key == k)?.Value ?? "");
            var runs = s.FailedRuns == 0 ? Num(s.Runs) : $"{s.Runs} ({s.FailedRuns} FAILED)";
            var rate = s.Reads == 0 ? "-" : $"{Pct(s.FailureRate)} ({Pct(s.RateLow95)}–{Pct(s.RateHigh95)})";
            var causes = s.CausesByCount.Count == 0 ? "-" : string.Join(", ", s.CausesByCount.Take(3).Select(c => $"{c.Key} {Num(c.Value)}"));
            var targets = string.Join(", ", s.ByTarget.Where(t => t.Value.Failed > 0).Select(t => $"{t.Key} {Num(t.Value.Failed)}/{Num(t.Value.Total)}"));
            if (s.Skipped > 0) targets += (targets.Length > 0 ? ", " : "") + $"unread argv {Num(s.Skipped)}";
            var p = s.Pooled;
            var latency = $"{Ns(p.LatencyNs.P50)} / {Ns(p.LatencyNs.P99)} / {Ns(p.LatencyNs.Max)}";
            var stale = p.DeferredReads == 0 ? "-" : $"{Num(p.StaleReads)}/{Num(p.DeferredReads)}";
            var delay = p.WriterOps == 0 || p.WriterWaitByProbeNsTotal == 0 ? "-" : $"{Ns((long)Math.Round(p.WriterWaitByProbeNsPerOp))}/op ({Ns(p.WriterWaitByProbeNsTotal)} total)";
            var n = s.Numa;
            var numa = n.ScanPasses == 0 && n.HintFaults == 0 ? "-" : $"{Num(n.HintFaults)} ({Num(n.HintFaultsRemote)})/{Num(n.Migrations)}/{Num(n.ScanPasses)}";
            return (IReadOnlyList<string>)point
                .Concat(new[] { s.Policy.Name, runs, Num(s.Reads), Num(s.Failed), rate, causes, targets.Length == 0 ? "-" : targets,
                    latency, stale, delay, numa })
                .ToArray();
        }).ToArray();
        var table = WithoutEmptyOptionalColumns(new SummaryTable(headers, rows));
        return table with { Notes = IdenticalPoints(table, summaries, keys.Length) };
    }

    private const string NumaHeader = "NUMA hints (remote)/migrations/passes";

    // Staleness, writer delay and NUMA balancing only mean something for some policies and workloads:
    // a column that is "-" in every row would only push the table off the screen.
    private static readonly string[] OptionalColumns = { "stale", "writer wait by probe", NumaHeader };

    // A sweep whose points all print the same figures for a policy changed nothing the table shows:
    // say so, rather than leave the reader to compare identical rows.
    private static IReadOnlyList<string> IdenticalPoints(SummaryTable t, IReadOnlyList<PointSummary> summaries, int pointColumns)
    {
        var notes = new List<string>();
        var policyColumn = pointColumns;
        foreach (var policy in summaries.Select(s => s.Policy).Distinct().Order())
        {
            var rows = t.Rows.Where((_, i) => summaries[i].Policy == policy).ToArray();
            if (rows.Length < 2) continue;
            var figures = rows.Select(r => string.Join("\u0001", r.Skip(policyColumn + 2))).Distinct(StringComparer.Ordinal).Count();
            if (figures == 1)
                notes.Add($"{policy.Name}: all {rows.Length} sweep points gave identical figures: the swept values changed nothing this table shows.");
        }
        return notes;
    }

    private static SummaryTable WithoutEmptyOptionalColumns(SummaryTable t)
    {
        var keep = t.Headers.Select((h, i) => !OptionalColumns.Contains(h) || t.Rows.Any(r => r[i] != "-")).ToArray();
        return new SummaryTable(
            t.Headers.Where((_, i) => keep[i]).ToArray(),
            t.Rows.Select(r => (IReadOnlyList<string>)r.Where((_, i) => keep[i]).ToArray()).ToArray());
    }

    /// <summary>The table as GitHub-flavoured markdown.</summary>
    public string ToMarkdown()
    {
        var lines = new List<string>
        {
            "| " + string.Join(" | ", Headers) + " |",
            "|" + string.Concat(Headers.Select(_ => "---|")),
        };
        lines.AddRange(Rows.Select(r => "| " + string.Join(" | ", r.Select(c => c.Replace("|", "\\|"))) + " |"));
        if (Notes.Count > 0) lines.Add("");
        lines.AddRange(Notes);
        return string.Join("\n", lines) + "\n";
    }

    // "workload.fork-exec.spawn" → "spawn": the column says which knob, the docs say where it lives.
    private static string ShortKey(string key) => key[(key.LastIndexOf('.') + 1)..];

    // Virtual time with a unit a reader can take in at a glance.
    private static string Ns(long ns) => ns switch
    {
        < 10_000 => $"{Num(ns)} ns",
        < 10_000_000 => (ns / 1000.0).ToString("0.#", CultureInfo.InvariantCulture) + " µs",
        _ => (ns / 1_000_000.0).ToString("0.#", CultureInfo.InvariantCulture) + " ms",
    };

    private static string Num(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Pct(double p) => (p * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
