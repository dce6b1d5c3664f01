using System.Globalization;
using System.Text;
using ActorKernel.TestKit.ScenarioFiles;

namespace ActorKernel.Calibration;

/// <summary>One random scenario's outcome: its file, its reads on both sides, and (when they disagree) the shrunk file and its reads.</summary>
public sealed record RandomScenarioResult(int Index, ScenarioFile File, IReadOnlyList<ScenarioReadRow> Rows, ScenarioFile? Shrunk, IReadOnlyList<ScenarioReadRow>? ShrunkRows)
{
    public bool Agrees => Rows.All(r => r.Agrees);

    /// <summary>The first disagreeing read, as "TARGET real X / model Y" (the model's cause left out: a kind, not an instance).</summary>
    public string? Kind => Rows.FirstOrDefault(r => !r.Agrees) is { } r
        ? $"{(r.Target.StartsWith("argv[", StringComparison.Ordinal) ? "argv[i]" : r.Target)} real {Word(r.Real)} / model {Word(r.Model)}"
        : null;

    private static string Word(ScenarioReadOutcome o) => !o.Read ? "not read" : o.Ok ? "ok" : "failed";
}

/// <summary>The agreement rate over scenarios and its 95 % Wilson score interval.</summary>
public static class WilsonInterval
{
    public const double Z95 = 1.959963984540054;

    public static (double Low, double High) Of(int successes, int trials, double z = Z95)
    {
        if (trials == 0) return (0, 1);
        double n = trials, p = successes / n, z2 = z * z;
        var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        var half = z * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}

/// <summary>The files `calibrate --random` writes: summary.txt, and per disagreement the original and shrunk scenario and a TestKit test.</summary>
public static class RandomCalibrationReport
{
    public static string Summary(ulong seed, int asked, IReadOnlyList<RandomScenarioResult> results, string kernelRelease, TimeSpan elapsed)
    {
        var agree = results.Count(r => r.Agrees);
        var (low, high) = WilsonInterval.Of(agree, results.Count);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"random scenarios: seed {seed}, {results.Count} of {asked} run, kernel {kernelRelease}, model profile {RandomScenarios.Kernel}, {elapsed.TotalSeconds:0} s\n");
        sb.Append(CultureInfo.InvariantCulture, $"agree: {agree} of {results.Count} ({Percent(results.Count == 0 ? 0 : (double)agree / results.Count)}; 95% Wilson interval {Percent(low)} to {Percent(high)})\n");
        var kinds = results.Where(r => !r.Agrees).GroupBy(r => r.Kind!).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToArray();
        if (kinds.Length > 0)
        {
            sb.Append("disagreements by kind (the first disagreeing read):\n");
            foreach (var g in kinds)
                sb.Append(CultureInfo.InvariantCulture, $"  {g.Count(),5}  {g.Key}  (scenarios {string.Join(", ", g.Select(r => r.Index))})\n");
        }
        return sb.ToString();
    }

    /// <summary>A test to paste into a ScenarioTestKit class: the shrunk scenario, expecting the real kernel's outcome of each model read.</summary>
    public static string TestKitTest(ulong seed, RandomScenarioResult r)
    {
        var file = r.Shrunk ?? r.File;
        var rows = r.ShrunkRows ?? r.Rows;
        var expected = string.Join(", ", rows.Where(x => x.Real.Read).Select(x => x.Real.Ok ? "true" : "false"));
        var text = ScenarioFileWriter.Write(file);
        return $$""""
            // Random scenario {{r.Index}} of seed {{seed}}, shrunk: the model disagreed with the real kernel ({{r.Kind}}).
            [Fact]
            public void RandomSeed{{seed}}Scenario{{r.Index}}_ProbeReadsAsOnTheRealKernel()
            {
                var file = ScenarioFileParser.Parse("""
            {{text.TrimEnd('\n')}}
            """ + "\n");

                var reads = ScenarioFileRun.ExecveReads(Sys, file);

                // The real kernel's reads, in order (filename, argv-array, argv[0..3] of each exec).
                Assert.Equal(new[] { {{expected}} }, reads.Select(x => x.Ok).Take({{rows.Count(x => x.Real.Read)}}).ToArray());
            }

            """";
    }

    private static string Percent(double f) => (100 * f).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
