using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using ActorKernel.Experiments.Plots;
using ActorKernel.Experiments.Report;
using ActorKernel.Experiments.Results;
using ActorKernel.Experiments.Running;
using ActorKernel.Experiments.Session;
using SkiaSharp;

namespace ActorKernel.Experiments.Tests.Report;

/// <summary>A fact that needs a Chromium binary on PATH; skipped, saying so, where there is none (CI installs Debian's chromium best-effort as root).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Find() is null)
            Skip = $"needs a headless Chromium to load report.html: none of {string.Join(", ", Chromium.Names)} is on PATH (Debian: apt-get install chromium)";
    }
}

/// <summary>Runs headless Chromium on a page: its DOM after load, its console output, a screenshot.</summary>
public static class Chromium
{
    public static readonly string[] Names = { "chromium", "chromium-browser", "google-chrome" };

    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(dir => Names.Select(n => Path.Combine(dir, n)))
            .FirstOrDefault(File.Exists);

    /// <summary>Loads <paramref name="page"/> with <paramref name="mode"/> (--dump-dom or --screenshot=…); returns stdout and stderr.</summary>
    public static (string Stdout, string Stderr) Run(string page, string mode, string profileDir)
    {
        var psi = new ProcessStartInfo(Find()!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--headless", "--disable-gpu", "--no-sandbox", "--enable-logging=stderr", "--v=0", "--hide-scrollbars",
                     "--no-first-run", "--user-data-dir=" + profileDir, "--window-size=1300,2400", mode, new Uri(page).AbsoluteUri })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium {mode} did not finish in 120 s");
        }
        return (stdout.Result, stderr.Result);
    }
}

/// <summary>
/// report.html (src/Experiments/Report): in every output folder, self-contained, deterministic; and, where a
/// Chromium is installed, loaded in a real browser: no console message, the table's rows, the timeline's
/// tracks, and a screenshot that is not blank.
/// </summary>
public sealed class ReportHtmlTests
{
    private static string Repo(params string[] parts)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ActorKernel.sln"))) dir = dir.Parent;
        return Path.Combine(new[] { dir?.FullName ?? throw new InvalidOperationException("ActorKernel.sln not found") }.Concat(parts).ToArray());
    }

    // numa-idle, shortened: a time-dependent run (reads start failing after the first scan pass), 6 points.
    private static (ExperimentSession Session, IReadOnlyList<RunRecord> Records, byte[] Html) NumaIdle()
    {
        var session = ExperimentSession.Prepare(Repo("config", "experiments", "numa-idle.conf"), new[] { "workload.numa-idle.duration-s=12" });
        var records = session.Run(2, null, CancellationToken.None);
        return (session, records, session.OutputFiles(records).Single(f => f.Name == HtmlReport.FileName).Content);
    }

    [Fact]
    public void EveryOutputFolder_HasAReport_ThatIsSelfContainedAndTheSameBytesForTheSameRun()
    {
        var session = ExperimentSession.Prepare(null, new[] { "workload.fork-exec.execs=5" });
        var records = session.Run(2, null, CancellationToken.None);
        var first = session.OutputFiles(records).Single(f => f.Name == HtmlReport.FileName).Content;
        var again = session.OutputFiles(session.Run(1, null, CancellationToken.None)).Single(f => f.Name == HtmlReport.FileName).Content;
        Assert.Equal(first, again);

        var html = Encoding.UTF8.GetString(first);
        // Nothing is loaded from anywhere but the page: every src is a data: URI, every href an anchor in it.
        Assert.All(Regex.Matches(html, "\\bsrc=\"([^\"]*)\"").Select(m => m.Groups[1].Value), src => Assert.StartsWith("data:image/png;base64,", src));
        Assert.All(Regex.Matches(html, "\\bhref=\"([^\"]*)\"").Select(m => m.Groups[1].Value), href => Assert.StartsWith("#", href));
        Assert.Contains("Content-Security-Policy", html);

        // The default sweep fails reads at two points (fork, rodata, child touches none or a far page): each is explained.
        var failingPoints = records.Where(r => r.Metrics is { ReadsFailed: > 0 }).Select(r => r.Spec.PointIndex).Distinct().Order().ToArray();
        Assert.Equal(2, failingPoints.Length);
        Assert.Equal(failingPoints, Regex.Matches(html, "<article class=\"explanation\" data-point=\"(\\d+)\"").Select(m => int.Parse(m.Groups[1].Value)).ToArray());
        Assert.Contains("copy_page_range() skipped VMA", html);
        // The causes glossary is the printed legend's.
        foreach (var (name, description) in CauseGlossary.Entries(PointSummary.Of(records)))
            Assert.Contains($"<dt><code>{name}</code></dt><dd>{System.Net.WebUtility.HtmlEncode(description)}</dd>", html);
    }

    [ChromiumFact]
    public void Chromium_LoadsTheReport_WithoutConsoleMessages_TheTableRowsAndTimelineTracks_AndAScreenshotThatIsNotBlank()
    {
        var (session, records, html) = NumaIdle();
        var dir = Path.Combine(Path.GetTempPath(), $"ak-report-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var page = Path.Combine(dir, HtmlReport.FileName);
            File.WriteAllBytes(page, html);

            var (dom, stderr) = Chromium.Run(page, "--dump-dom", Path.Combine(dir, "profile-dom"));
            // Chromium logs every console message (log, warning, error, CSP violation, uncaught exception) as INFO:CONSOLE; the page writes none.
            var console = stderr.Split('\n').Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal)).ToArray();
            Assert.True(console.Length == 0, "console messages:\n" + string.Join("\n", console));
            Assert.Contains("</html>", dom);
            Assert.DoesNotContain("load-error\"", dom.Replace(".load-error {", ""));

            // One row per point × policy, as the printed table.
            var tbody = Regex.Match(dom, "<table class=\"summary\">.*?<tbody>(.*?)</tbody>", RegexOptions.Singleline).Groups[1].Value;
            var summaries = PointSummary.Of(records);
            Assert.Equal(summaries.Count, Regex.Matches(tbody, "<tr[ >]").Count);
            Assert.Equal(SummaryTable.Of(summaries).Rows.Select(r => r[0]), Regex.Matches(tbody, "<tr[^>]*><td>([^<]*)</td>").Select(m => m.Groups[1].Value));

            // The timeline is timeline.png's run: a track per target it read, and its scan passes.
            var run = TimelinePlot.RunShown(records)!;
            var expected = run.Metrics!.ByTarget.Where(t => t.Value.Total > 0).Select(t => "reads:" + t.Key).Order(StringComparer.Ordinal).Append("numa-scan").ToArray();
            Assert.Equal(expected, Regex.Matches(dom, "<g class=\"track\" data-track=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToArray());
            Assert.True(Regex.Matches(dom, "<rect class=\"scan\"").Count >= 2, "the scan passes are drawn");
            Assert.Matches("<path class=\"failed\" d=\"M", dom);

            var shot = Path.Combine(dir, "report.png");
            Chromium.Run(page, "--screenshot=" + shot, Path.Combine(dir, "profile-shot"));
            using var bitmap = SKBitmap.Decode(shot);
            Assert.NotNull(bitmap);
            Assert.Equal(1300, bitmap.Width);
            var (variance, inkShare) = Ink(bitmap);
            Assert.True(variance > 500, $"the screenshot is nearly uniform (luminance variance {variance:0})");
            Assert.True(inkShare > 0.02, $"the screenshot is nearly blank ({inkShare:P1} of pixels differ from the background)");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // Luminance variance over a grid of pixels, and the share of them that differ clearly from the most common one (the background).
    private static (double Variance, double InkShare) Ink(SKBitmap bitmap)
    {
        var lum = new List<int>();
        for (var y = 0; y < bitmap.Height; y += 4)
            for (var x = 0; x < bitmap.Width; x += 4)
            {
                var c = bitmap.GetPixel(x, y);
                lum.Add((299 * c.Red + 587 * c.Green + 114 * c.Blue) / 1000);
            }
        var mean = lum.Average();
        var background = lum.GroupBy(l => l).OrderByDescending(g => g.Count()).First().Key;
        return (lum.Average(l => (l - mean) * (l - mean)), lum.Count(l => Math.Abs(l - background) > 40) / (double)lum.Count);
    }
}
