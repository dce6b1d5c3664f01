using System.Globalization;
using ActorKernel.Actors.Metrics;
using ActorKernel.Experiments.Running;
using ScottPlot;

namespace ActorKernel.Experiments.Plots;

/// <summary>
/// timeline.png: one run over virtual time — failed and ok probe reads per target per timeline
/// bucket, with the NUMA scan passes (task_numa_work) marked where they started. Drawn only for
/// time-dependent experiments (a run's reads span at least two buckets): a fork-exec run is over in
/// milliseconds and would be one bar. The run shown is the one with the most failed reads (the first
/// in plan order on a tie), so the plot shows when reads start failing, not an average that hides it.
/// </summary>
public static class TimelinePlot
{
    /// <summary>The file name of the plot.</summary>
    public const string FileName = "timeline.png";

    private const int Width = 1100, PanelHeight = 260;

    /// <summary>The run the timeline shows, or null when no run is time-dependent.</summary>
    public static RunRecord? RunShown(IReadOnlyList<RunRecord> records) =>
        records
            .Where(r => r.Metrics is { } m && m.Timeline.Count(b => b.ByTarget.Count > 0) >= 2)
            .OrderByDescending(r => r.Metrics!.ReadsFailed).ThenBy(r => r.Spec.Run)
            .FirstOrDefault();

    /// <summary>The timeline plot, or nothing when no run is time-dependent.</summary>
    public static IReadOnlyList<(string Name, byte[] Content)> Write(string experiment, string kernel, IReadOnlyList<RunRecord> records)
    {
        if (RunShown(records) is not { } run) return Array.Empty<(string, byte[])>();
        return new[] { (FileName, Draw(experiment, kernel, run)) };
    }

    // One panel per target, stacked on a shared time axis: targets often fail together (arg-start
    // and idle-buffer), and one panel each keeps a line from hiding another.
    private static byte[] Draw(string experiment, string kernel, RunRecord run)
    {
        var m = run.Metrics!;
        var bucketNs = m.TimelineWidenedBucketNs ?? run.Spec.Settings.Metrics.TimelineBucketMs * 1_000_000;
        var point = run.Spec.Point.Count == 0 ? "" : ", " + string.Join(", ", run.Spec.Point.Select(p => $"{p.Key.Split('.')[^1]} = {p.Value}"));
        var last = (int)(m.Timeline[^1].StartNs / bucketNs);
        var xs = Enumerable.Range(0, last + 2).Select(i => i * bucketNs / 1e9).ToArray();
        var targets = m.Timeline.SelectMany(b => b.ByTarget.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var passes = m.ScanPasses.Where(p => !p.SkippedLockBusy).ToArray();

        PlotFont.Use();
        var multiplot = new Multiplot();
        multiplot.AddPlots(targets.Length);
        for (var t = 0; t < targets.Length; t++)
        {
            var plt = multiplot.GetPlot(t);
            if (t == 0)
                plt.Title($"Probe reads over virtual time: run {run.Spec.Run} ({run.Spec.Policy.Name}{point}), the run with the most failed reads\n{experiment} (kernel {kernel}), reads per {Seconds(bucketNs)} s bucket", size: 16);
            plt.YLabel($"{targets[t]} (reads)", size: 13);
            if (t == targets.Length - 1) plt.XLabel("virtual time (s)", size: 14);
            plt.Axes.Bottom.TickLabelStyle.FontSize = 12;
            plt.Axes.Left.TickLabelStyle.FontSize = 12;
            plt.Legend.FontSize = 12;
            var (failed, ok) = Counts(m.Timeline, targets[t], bucketNs, last);
            AddStep(plt, xs, ok, Colors.ForestGreen, LinePattern.Dashed, "ok");
            AddStep(plt, xs, failed, Colors.Crimson, LinePattern.Solid, "failed");
            for (var i = 0; i < passes.Length; i++)
            {
                var line = plt.Add.VerticalLine(passes[i].StartNs / 1e9);
                line.Color = Colors.Gray.WithAlpha(0.7);
                line.LineWidth = 1;
                line.LinePattern = LinePattern.Dotted;
                if (i == 0) line.LegendText = $"NUMA scan pass started ({passes.Length})";
            }
            plt.Axes.SetLimitsX(0, xs[^1]);
            plt.Axes.SetLimitsY(0, Math.Max(1, failed.Concat(ok).Max()) * 1.15);
            // One legend, where the lines of the busiest target (10 reads a second, or none) leave room.
            if (t == 0) plt.ShowLegend(Alignment.MiddleRight);
            else plt.HideLegend();
        }
        multiplot.SharedAxes.ShareX(multiplot.GetPlots());
        return PlotPng.Of(multiplot, Width, PanelHeight * targets.Length + 80);
    }

    // Failed and ok reads of a target per bucket, zeros for buckets in which it was not read; the
    // extra last value closes the final step.
    private static (double[] Failed, double[] Ok) Counts(IReadOnlyList<TimelineBucket> timeline, string target, long bucketNs, int last)
    {
        var failed = new double[last + 2];
        var ok = new double[last + 2];
        foreach (var b in timeline)
        {
            if (!b.ByTarget.TryGetValue(target, out var c)) continue;
            var i = (int)(b.StartNs / bucketNs);
            failed[i] = c.Failed;
            ok[i] = c.Reads - c.Failed;
        }
        failed[^1] = failed[^2];
        ok[^1] = ok[^2];
        return (failed, ok);
    }

    private static void AddStep(Plot plt, double[] xs, double[] ys, Color color, LinePattern pattern, string legend)
    {
        var s = plt.Add.Scatter(xs, ys);
        s.ConnectStyle = ConnectStyle.StepHorizontal;
        s.Color = color;
        s.LineWidth = 2;
        s.LinePattern = pattern;
        s.MarkerSize = 0;
        s.LegendText = legend;
    }

    private static string Seconds(long ns) => (ns / 1e9).ToString("0.###", CultureInfo.InvariantCulture);
}
