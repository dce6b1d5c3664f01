using System.Globalization;
using System.Net;
using System.Text;
using ActorKernel.Experiments.Explain;
using ActorKernel.Model;

namespace ActorKernel.Experiments.Report;

/// <summary>
/// One recorded run as an inline SVG timeline over virtual time: a track per probe target with a tick per read
/// (ok short and green, failed tall and red), the NUMA scan passes (task_numa_work()) as spans, and reclaim
/// (pages scanned per timeline bucket) when the run has the memory model. Every track is a
/// <c>&lt;g class="track" data-track="…"&gt;</c>: <c>reads:TARGET</c>, <c>numa-scan</c>, <c>reclaim</c>.
/// Coordinates are rounded to 0.1 px (ticks on the same tenth of a pixel are drawn once), so the bytes depend on the run only.
/// </summary>
public static class TimelineSvg
{
    private const int Width = 1080, LabelWidth = 200, RightMargin = 24, TrackHeight = 34, AxisHeight = 40, Top = 8;
    private const int PlotWidth = Width - LabelWidth - RightMargin;

    /// <summary>The track names the SVG of <paramref name="run"/> has, top to bottom (tests compare the rendered page with them).</summary>
    public static IReadOnlyList<string> Tracks(ExplainSession.RecordedRun run)
    {
        var tracks = Targets(run).Select(t => "reads:" + t).ToList();
        if (Passes(run).Count > 0) tracks.Add("numa-scan");
        if (Reclaim(run).Count > 0) tracks.Add("reclaim");
        return tracks;
    }

    /// <summary>The SVG element of <paramref name="run"/>.</summary>
    public static string Write(ExplainSession.RecordedRun run)
    {
        var events = run.Events;
        var endNs = Math.Max(1, Math.Max(run.Record.VirtualTimeNs, events.Count == 0 ? 0 : events[^1].AtNs));
        var tracks = Tracks(run);
        var height = Top + tracks.Count * TrackHeight + AxisHeight;
        var sb = new StringBuilder();
        sb.Append($"<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\" role=\"img\" aria-label=\"probe reads, NUMA scan passes and reclaim over virtual time\">\n");
        var y = Top;
        var row = 0;
        foreach (var target in Targets(run))
        {
            Track(sb, "reads:" + target, $"{target} reads", y, row++);
            var reads = events.Where(e => e.Kind == ProvenanceKind.ProbeReadDone && e.Get("target") == target).ToArray();
            // Lookup only: a tick already drawn at this tenth of a pixel.
            var drawnOk = new HashSet<long>();
            var drawnFailed = new HashSet<long>();
            var ok = new StringBuilder();
            var failed = new StringBuilder();
            foreach (var r in reads)
            {
                var x = X(r.AtNs, endNs);
                if (r.Get("ok") == "yes")
                {
                    if (drawnOk.Add(x)) ok.Append($"M{Px(x)} {y + 11}v12");
                }
                else if (drawnFailed.Add(x)) failed.Append($"M{Px(x)} {y + 4}v26");
            }
            if (ok.Length > 0) sb.Append($"<path class=\"ok\" d=\"{ok}\"/>\n");
            if (failed.Length > 0) sb.Append($"<path class=\"failed\" d=\"{failed}\"/>\n");
            var nFailed = reads.Count(r => r.Get("ok") == "no");
            sb.Append($"<text class=\"count\" x=\"{LabelWidth - 8}\" y=\"{y + 29}\">{reads.Length} reads, {nFailed} failed</text>\n");
            sb.Append("</g>\n");
            y += TrackHeight;
        }
        var passes = Passes(run);
        if (passes.Count > 0)
        {
            Track(sb, "numa-scan", "NUMA scan passes", y, row++);
            foreach (var p in passes)
            {
                var x0 = X(p.StartNs, endNs);
                var w = Math.Max(10, X(p.EndNs, endNs) - x0);
                var title = p.SkippedLockBusy
                    ? $"scan pass skipped at {Seconds(p.StartNs)}: mmap_read_trylock() failed"
                    : $"task_numa_work() for task {p.TaskId}, numa_scan_seq {p.ScanSeq}, {Seconds(p.StartNs)}–{Seconds(p.EndNs)}: {p.PtesUpdated} PTEs made PROT_NONE";
                sb.Append($"<rect class=\"{(p.SkippedLockBusy ? "scan-skipped" : "scan")}\" x=\"{Px(x0)}\" y=\"{y + 7}\" width=\"{Px(w)}\" height=\"20\"><title>{WebUtility.HtmlEncode(title)}</title></rect>\n");
            }
            sb.Append($"<text class=\"count\" x=\"{LabelWidth - 8}\" y=\"{y + 29}\">{passes.Count(p => !p.SkippedLockBusy)} passes{(passes.Any(p => p.SkippedLockBusy) ? $", {passes.Count(p => p.SkippedLockBusy)} skipped" : "")}</text>\n");
            sb.Append("</g>\n");
            y += TrackHeight;
        }
        var reclaim = Reclaim(run);
        if (reclaim.Count > 0)
        {
            Track(sb, "reclaim", "reclaim (pages scanned)", y, row);
            var bucketNs = BucketNs(run);
            var max = Math.Max(1, reclaim.Max(b => b.Scanned));
            foreach (var b in reclaim)
            {
                var x0 = X(b.StartNs, endNs);
                var w = Math.Max(10, X(Math.Min(endNs, b.StartNs + bucketNs), endNs) - x0);
                var h = Math.Max(2, (int)Math.Round(24.0 * b.Scanned / max));
                sb.Append($"<rect class=\"reclaim\" x=\"{Px(x0)}\" y=\"{y + 30 - h}\" width=\"{Px(w)}\" height=\"{h}\"><title>{Seconds(b.StartNs)}: {b.Scanned} pages scanned, {b.Evicted} evicted, {b.Swapped} swapped out</title></rect>\n");
            }
            sb.Append("</g>\n");
            y += TrackHeight;
        }
        Axis(sb, y, endNs);
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static IReadOnlyList<string> Targets(ExplainSession.RecordedRun run) =>
        run.Events.Where(e => e.Kind == ProvenanceKind.ProbeReadDone).Select(e => e.Get("target")!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    private static IReadOnlyList<Actors.Metrics.ScanPass> Passes(ExplainSession.RecordedRun run) =>
        (run.Record.Metrics?.ScanPasses ?? []).OrderBy(p => p.StartNs).ThenBy(p => p.MmId).ToArray();

    private static IReadOnlyList<(long StartNs, long Scanned, long Evicted, long Swapped)> Reclaim(ExplainSession.RecordedRun run) =>
        (run.Record.Metrics?.Timeline ?? [])
            .Where(b => b.Memory is { } m && (m.Scanned > 0 || m.EvictedFile > 0 || m.SwappedOut > 0))
            .Select(b => (b.StartNs, b.Memory!.Scanned, b.Memory.EvictedFile, b.Memory.SwappedOut)).ToArray();

    private static long BucketNs(ExplainSession.RecordedRun run) =>
        run.Record.Metrics?.TimelineWidenedBucketNs ?? run.Record.Spec.Settings.Metrics.TimelineBucketMs * 1_000_000;

    private static void Track(StringBuilder sb, string name, string label, int y, int row)
    {
        sb.Append($"<g class=\"track\" data-track=\"{WebUtility.HtmlEncode(name)}\">\n");
        sb.Append($"<rect class=\"{(row % 2 == 0 ? "band" : "band alt")}\" x=\"0\" y=\"{y}\" width=\"{Width}\" height=\"{TrackHeight}\"/>\n");
        sb.Append($"<text class=\"label\" x=\"{LabelWidth - 8}\" y=\"{y + 15}\">{WebUtility.HtmlEncode(label)}</text>\n");
    }

    // A time axis in the unit that suits the run: ticks at 1, 2 or 5 × 10^k of it, at most about ten.
    private static void Axis(StringBuilder sb, int y, long endNs)
    {
        var (unitNs, unit) = endNs >= 2_000_000_000 ? (1_000_000_000L, "s") : endNs >= 2_000_000 ? (1_000_000L, "ms") : endNs >= 2_000 ? (1_000L, "µs") : (1L, "ns");
        var step = 1L;
        foreach (var candidate in Steps())
        {
            step = candidate;
            if (endNs / candidate <= 10) break;
        }
        sb.Append("<g class=\"axis\">\n");
        sb.Append($"<path d=\"M{LabelWidth} {y + 2}H{LabelWidth + PlotWidth}\"/>\n");
        for (var t = 0L; t <= endNs; t += step)
        {
            var x = Px(X(t, endNs));
            sb.Append($"<path d=\"M{x} {y + 2}v5\"/><text x=\"{x}\" y=\"{y + 20}\">{(t / (double)unitNs).ToString("0.###", CultureInfo.InvariantCulture)}</text>\n");
        }
        sb.Append($"<text class=\"unit\" x=\"{LabelWidth + PlotWidth}\" y=\"{y + 36}\">virtual time ({unit})</text>\n");
        sb.Append("</g>\n");
    }

    private static IEnumerable<long> Steps()
    {
        for (var p = 1L; p <= 1_000_000_000_000_000L; p *= 10)
        {
            yield return p;
            yield return 2 * p;
            yield return 5 * p;
        }
    }

    // x in tenths of a pixel, by integer arithmetic (no floating-point rounding differences between machines).
    private static long X(long ns, long endNs) => LabelWidth * 10L + (long)((Int128)ns * PlotWidth * 10 / endNs);

    private static string Px(long tenths) => tenths % 10 == 0
        ? (tenths / 10).ToString(CultureInfo.InvariantCulture)
        : (tenths / 10).ToString(CultureInfo.InvariantCulture) + "." + (tenths % 10).ToString(CultureInfo.InvariantCulture);

    private static string Seconds(long ns) => ExplainSession.Time(ns);
}
