using System.Globalization;
using ActorKernel.Experiments.Results;
using ActorKernel.Model;
using ScottPlot;

namespace ActorKernel.Experiments.Plots;

/// <summary>
/// The experiment's plots (PNG, ScottPlot 5): failure rate against the first swept key with
/// Wilson 95% bands, failures by cause per policy, probe-latency CDFs, and the delay the probe
/// imposed on mmap-lock writers. Every axis says its unit; every title says what was run.
/// </summary>
public static class PlotWriter
{
    private const int Width = 1100, Height = 650;

    /// <summary>The PNG files for these summaries (none when there is nothing to plot).</summary>
    public static IReadOnlyList<(string Name, byte[] Content)> Write(string experiment, string kernel, IReadOnlyList<PointSummary> summaries) =>
        Start(experiment, kernel, summaries).Select(p => (p.Name, p.Png.GetAwaiter().GetResult())).ToArray();

    /// <summary>
    /// Start drawing the PNG files for these summaries, each on the thread pool (every plot is its own
    /// ScottPlot <see cref="Plot"/> and reads the summaries only), in their file order. The bytes do not
    /// depend on which thread drew them.
    /// </summary>
    public static IReadOnlyList<(string Name, Task<byte[]> Png)> Start(string experiment, string kernel, IReadOnlyList<PointSummary> summaries)
    {
        if (summaries.Count == 0) return Array.Empty<(string, Task<byte[]>)>();
        var title = $"{experiment} (kernel {kernel})";
        var files = new List<(string, Task<byte[]>)>();
        var axis = SweepAxisOf(summaries);
        // A plot is written only when it has something to show (docs/results.md, "Plots"): a sweep to
        // draw a rate against, a failed read to stack, a latency to plot, a writer the probe delayed —
        // fork-exec's dup_mmap() takes the lock for write, but nofault never takes it, so that delay is all zeros.
        // Each is drawn on its own task (PNG encoding dominates).
        if (axis is not null && summaries.Any(x => x.Reads > 0)) files.Add(("failure-rate.png", Task.Run(() => FailureRate(title, axis, summaries))));
        if (summaries.Any(x => x.Failed > 0)) files.Add(("failures-by-cause.png", Task.Run(() => FailuresByCause(title, summaries))));
        if (summaries.Any(x => x.Pooled.Latency is { TotalCount: > 0 })) files.Add(("probe-latency-cdf.png", Task.Run(() => LatencyCdf(title, axis, summaries))));
        if (axis is not null && summaries.Any(x => x.Pooled.WriterWaitByProbeNsTotal > 0)) files.Add(("workload-delay.png", Task.Run(() => WorkloadDelay(title, axis, summaries))));
        return files;
    }

    /// <summary>
    /// Draw and encode one small throw-away plot, so that Skia, ScottPlot and the first font lookup are
    /// loaded and initialised (≈0.1 s) while the runs go, not when the plots are due. Writes nothing.
    /// </summary>
    public static void WarmUp()
    {
        var plt = NewPlot("warm-up", "x", "y");
        plt.Add.Scatter(new double[] { 0, 1 }, new double[] { 0, 1 });
        PlotPng.Of(plt, 64, 48);
    }

    private static IReadOnlyList<ProbePolicy> Policies(IReadOnlyList<PointSummary> s) => s.Select(x => x.Policy).Distinct().Order().ToArray();

    private static Color ColorOf(ProbePolicy p) => new ScottPlot.Palettes.Category10().GetColor(p.Index);

    private static readonly MarkerShape[] PolicyMarkers =
        [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond, MarkerShape.OpenCircle];

    // Policies often coincide (sleepable and deferred both fail nothing): each gets its own marker
    // shape, later policies (drawn on top) smaller markers and thinner lines, every other one dashed, so a line
    // drawn over another leaves the one below visible around it.
    private static void StyleOf(ProbePolicy p, ScottPlot.Plottables.Scatter line, bool drawLine)
    {
        line.Color = ColorOf(p);
        line.MarkerShape = PolicyMarkers[p.Index % PolicyMarkers.Length];
        line.MarkerSize = Math.Max(6, 14 - 2 * p.Index);
        line.LineWidth = drawLine ? Math.Max(1.5f, 4.5f - 0.75f * p.Index) : 0;
        line.LinePattern = p.Index % 2 == 0 ? LinePattern.Solid : LinePattern.Dashed;
    }

    /// <summary>
    /// The x axis of the sweep plots. One swept key: its values. Several: every point in plan
    /// order, labelled with all its values — a line against the first key alone would join
    /// points that differ in the other keys.
    /// </summary>
    private sealed record SweepAxis(IReadOnlyList<string> Keys)
    {
        public bool MultiKey => Keys.Count > 1;

        public string Label => MultiKey
            ? "sweep point (" + string.Join(" / ", Keys.Select(k => k[(k.LastIndexOf('.') + 1)..])) + ")"
            : AxisLabel(Keys[0]);
    }

    private static SweepAxis? SweepAxisOf(IReadOnlyList<PointSummary> s) =>
        s[0].Point.Count == 0 ? null : new SweepAxis(s[0].Point.Select(p => p.Key).ToArray());

    private static int HeightFor(SweepAxis axis) => axis.MultiKey ? Height + 200 : Height;

    // Numeric sweep values are placed at their value; others (fork, vfork) at their index, labelled.
    private static (double[] Xs, string[] Labels, bool Numeric) XValues(SweepAxis axis, IReadOnlyList<PointSummary> rows)
    {
        if (axis.MultiKey)
            return (rows.Select(r => (double)r.PointIndex).ToArray(), rows.Select(r => string.Join(" / ", r.Point.Select(p => p.Value))).ToArray(), false);
        var key = axis.Keys[0];
        var labels = rows.Select(r => r.Point.First(p => p.Key == key).Value).ToArray();
        var numeric = labels.All(l => double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        var xs = numeric
            ? labels.Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray()
            : labels.Select((_, i) => (double)i).ToArray();
        return (xs, labels, numeric);
    }

    /// <summary>"workload.mmap-churn.ops-per-s" → "mmap-churn ops-per-s (operations/s)": the key and its unit.</summary>
    public static string AxisLabel(string key)
    {
        var parts = key.Split('.');
        var name = parts.Length >= 2 ? $"{parts[^2]} {parts[^1]}" : key;
        var unit = parts[^1] switch
        {
            var k when k.EndsWith("-per-s", StringComparison.Ordinal) => " (operations/s)",
            var k when k.EndsWith("-ns", StringComparison.Ordinal) || k == "ns" => " (ns)",
            var k when k.EndsWith("-us", StringComparison.Ordinal) => " (µs)",
            var k when k.EndsWith("-ms", StringComparison.Ordinal) => " (ms)",
            var k when k.EndsWith("-pages", StringComparison.Ordinal) => " (pages)",
            var k when k.EndsWith("-bytes", StringComparison.Ordinal) => " (bytes)",
            _ => "",
        };
        return name + unit;
    }

    private static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        PlotFont.Use();
        var plt = new Plot();
        plt.Title(title, size: 18);
        plt.XLabel(xLabel, size: 15);
        plt.YLabel(yLabel, size: 15);
        plt.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plt.Axes.Left.TickLabelStyle.FontSize = 13;
        plt.Legend.FontSize = 13;
        return plt;
    }

    private static void SetCategoricalTicks(Plot plt, double[] xs, string[] labels, bool vertical = false)
    {
        plt.Axes.Bottom.SetTicks(xs, labels);
        var longest = labels.Length == 0 ? 0 : labels.Max(l => l.Length);
        if (!vertical || longest <= 8) return;
        plt.Axes.Bottom.TickLabelStyle.Rotation = -90;
        plt.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        // Room for the rotated labels ("posix-spawn / rodata / window-neighbour", ≈ 7.5 px a
        // character at this font size) and the axis title.
        plt.Axes.Bottom.MinimumSize = (float)(longest * 7.5 + 50);
    }

    private static byte[] FailureRate(string title, SweepAxis key, IReadOnlyList<PointSummary> summaries)
    {
        var plt = NewPlot($"Probe read failure rate {(key.MultiKey ? "per sweep point" : "vs " + key.Label)}\n{title}, {(key.MultiKey ? "bars" : "bands")}: Wilson 95% interval",
            key.Label, "probe reads failed (%)");
        double[] firstXs = Array.Empty<double>();
        string[] firstLabels = Array.Empty<string>();
        var numeric = true;
        foreach (var policy in Policies(summaries))
        {
            var rows = summaries.Where(s => s.Policy == policy && s.Reads > 0).ToArray();
            if (rows.Length == 0) continue;
            var (xs, labels, isNumeric) = XValues(key, rows);
            (firstXs, firstLabels, numeric) = (xs, labels, isNumeric);
            var color = ColorOf(policy);
            if (key.MultiKey)
            {
                for (var i = 0; i < rows.Length; i++)
                {
                    var bar = plt.Add.Line(xs[i], rows[i].RateLow95 * 100, xs[i], rows[i].RateHigh95 * 100);
                    bar.Color = color.WithAlpha(0.6);
                    bar.LineWidth = 3;
                }
            }
            else
            {
                var band = plt.Add.FillY(xs, rows.Select(r => r.RateLow95 * 100).ToArray(), rows.Select(r => r.RateHigh95 * 100).ToArray());
                band.FillColor = color.WithAlpha(0.2);
                band.LineWidth = 0;
            }
            var line = plt.Add.Scatter(xs, rows.Select(r => r.FailureRate * 100).ToArray());
            StyleOf(policy, line, drawLine: !key.MultiKey);
            line.LegendText = policy.Name;
        }
        if (!numeric) SetCategoricalTicks(plt, firstXs, firstLabels, key.MultiKey);
        plt.Axes.SetLimitsY(-2, 102);
        plt.ShowLegend(Alignment.MiddleRight);
        return PlotPng.Of(plt, Width, HeightFor(key));
    }

    private static byte[] FailuresByCause(string title, IReadOnlyList<PointSummary> summaries)
    {
        var policies = Policies(summaries);
        var causes = summaries.SelectMany(s => s.CausesByCount.Select(c => c.Key)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var points = summaries.Select(s => s.PointIndex).Distinct().Count();
        var plt = NewPlot($"Failed probe reads by cause, per policy\n{title}, all {points} sweep point(s) and seeds pooled", "policy", "failed probe reads (count)");
        var palette = new ScottPlot.Palettes.ColorblindFriendly();
        for (var i = 0; i < policies.Count; i++)
        {
            double baseValue = 0;
            for (var c = 0; c < causes.Length; c++)
            {
                var n = summaries.Where(s => s.Policy == policies[i]).Sum(s => s.CausesByCount.Where(kv => kv.Key == causes[c]).Sum(kv => kv.Value));
                if (n == 0) continue;
                plt.Add.Bar(new Bar { Position = i, ValueBase = baseValue, Value = baseValue + n, FillColor = palette.GetColor(c), Size = 0.6 });
                baseValue += n;
            }
            var total = summaries.Where(s => s.Policy == policies[i]).Sum(s => s.Failed);
            var reads = summaries.Where(s => s.Policy == policies[i]).Sum(s => s.Reads);
            var label = plt.Add.Text($"{total:N0} of {reads:N0}", i, baseValue);
            label.LabelFontSize = 12;
            label.LabelAlignment = Alignment.LowerCenter;
        }
        for (var c = 0; c < causes.Length; c++)
            plt.Legend.ManualItems.Add(new LegendItem { LabelText = causes[c], FillColor = palette.GetColor(c) });
        if (causes.Length == 0) plt.Legend.ManualItems.Add(new LegendItem { LabelText = "no failures" });
        SetCategoricalTicks(plt, policies.Select((_, i) => (double)i).ToArray(), policies.Select(p => p.Name).ToArray());
        plt.Axes.Margins(bottom: 0, top: 0.15);
        plt.ShowLegend(Alignment.UpperRight);
        return PlotPng.Of(plt, Width, Height);
    }

    // x on a log10 scale of µs, labelled in plain units, so 100 ns reads and 100 µs waits both show.
    private static byte[] LatencyCdf(string title, SweepAxis? key, IReadOnlyList<PointSummary> summaries)
    {
        var lastPoint = summaries.Max(s => s.PointIndex);
        var rows = summaries.Where(s => s.PointIndex == lastPoint).ToArray();
        var where = rows[0].Point.Count == 0 ? "" : " at " + string.Join(", ", rows[0].Point.Select(p => $"{p.Key.Split('.')[^1]} = {p.Value}"));
        var plt = NewPlot($"Probe read latency CDF per policy{where}\n{title}, seeds pooled (HdrHistogram)",
            "probe read latency (µs, log scale)", "reads at or below (%)");
        double minLog = double.MaxValue, maxLog = double.MinValue;
        foreach (var s in rows.OrderBy(r => r.Policy))
        {
            var h = s.Pooled.Latency;
            if (h is null || h.TotalCount == 0) continue;
            var xs = new List<double>();
            var ys = new List<double>();
            long seen = 0;
            foreach (var v in h.RecordedValues())
            {
                seen += v.CountAddedInThisIterationStep;
                var us = Math.Max(v.ValueIteratedTo, 1) / 1000.0;
                xs.Add(Math.Log10(us));
                ys.Add(100.0 * seen / h.TotalCount);
            }
            minLog = Math.Min(minLog, xs[0]);
            maxLog = Math.Max(maxLog, xs[^1]);
            xs.Insert(0, xs[0]);
            ys.Insert(0, 0);
            var line = plt.Add.Scatter(xs.ToArray(), ys.ToArray());
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.Color = ColorOf(s.Policy);
            line.LineWidth = 2.5f;
            line.MarkerSize = 0;
            line.LegendText = $"{s.Policy.Name} (p99 {Us(s.Pooled.LatencyNs.P99)})";
        }
        if (minLog <= maxLog)
        {
            var lo = Math.Floor(minLog) - 0.2;
            var hi = Math.Ceiling(maxLog) + 0.2;
            var ticks = Enumerable.Range((int)Math.Floor(minLog), (int)(Math.Ceiling(maxLog) - Math.Floor(minLog)) + 1).Select(e => (double)e).ToArray();
            plt.Axes.Bottom.SetTicks(ticks, ticks.Select(t => Us((long)Math.Round(Math.Pow(10, t) * 1000))).ToArray());
            plt.Axes.SetLimits(lo, hi, -2, 102);
        }
        plt.ShowLegend(Alignment.LowerRight);
        return PlotPng.Of(plt, Width, Height);
    }

    private static byte[] WorkloadDelay(string title, SweepAxis key, IReadOnlyList<PointSummary> summaries)
    {
        var plt = NewPlot($"Delay the probe imposed on the traced process {(key.MultiKey ? "per sweep point" : "vs " + key.Label)}\n{title}: mmap-lock writers' wait while a probe held the lock",
            key.Label, "writer wait caused by probe (µs per run, mean of seeds)");
        double[] firstXs = Array.Empty<double>();
        string[] firstLabels = Array.Empty<string>();
        var numeric = true;
        foreach (var policy in Policies(summaries))
        {
            var rows = summaries.Where(s => s.Policy == policy).ToArray();
            var (xs, labels, isNumeric) = XValues(key, rows);
            (firstXs, firstLabels, numeric) = (xs, labels, isNumeric);
            var line = plt.Add.Scatter(xs, rows.Select(r => r.Runs == 0 ? 0 : r.Pooled.WriterWaitByProbeNsTotal / 1000.0 / r.Runs).ToArray());
            StyleOf(policy, line, drawLine: !key.MultiKey);
            line.LegendText = policy.Name;
        }
        if (!numeric) SetCategoricalTicks(plt, firstXs, firstLabels, key.MultiKey);
        plt.Axes.Margins(bottom: 0.05);
        plt.ShowLegend(Alignment.UpperLeft);
        return PlotPng.Of(plt, Width, HeightFor(key));
    }

    private static string Us(long ns) => ns < 1000
        ? $"{ns} ns"
        : ns < 1_000_000 ? (ns / 1000.0).ToString("0.##", CultureInfo.InvariantCulture) + " µs"
        : (ns / 1_000_000.0).ToString("0.##", CultureInfo.InvariantCulture) + " ms";
}
