using System.Diagnostics;
using System.Globalization;
using System.Text;
using ActorKernel.Calibration;
using ActorKernel.Experiments.Results;
using ActorKernel.TestKit.ScenarioFiles;

namespace ActorKernel.Cli;

/// <summary>
/// `actorkernel calibrate --random N [--seed S] [--out DIR]`: N seeded random scenarios (RandomScenarios),
/// each in the model and on this machine's kernel, read by read; each disagreement shrunk
/// (ScenarioShrinker). Writes summary.txt and, per disagreement, the original and shrunk scenario
/// and a TestKit test to DIR (default out/calibration-random/). Ctrl-C stops after the scenario
/// in progress and writes what finished (exit 130).
/// </summary>
public static class CalibrateRandomCommand
{
    /// <summary>Checks (each a run on both sides) one shrink may spend.</summary>
    public const int ShrinkChecks = 60;

    public static int Execute(int count, ulong seed, string? outDir, bool requireAgreement, CalibrationHost host, TextWriter stdout, TextWriter stderr)
    {
        outDir ??= Path.Combine("out", "calibration-random");
        OutputFolder.Inspect(OutputFolder.CheckLocation(outDir));
        var missing = host.Missing();
        if (missing.Count > 0)
            throw new CliError("calibrate cannot run here: " + string.Join("; ", missing));

        var results = new List<RandomScenarioResult>();
        var stop = false;
        var clock = Stopwatch.StartNew();
        using (new StopSignals(() => stop = true))
        {
            var work = Directory.CreateTempSubdirectory("actorkernel-random-").FullName;
            var system = ScenarioCalibration.ModelSystem();
            try
            {
                using var real = new RealScenarioSession(host, TextWriter.Null);
                IReadOnlyList<ScenarioReadRow> Compare(ScenarioFile file)
                {
                    var path = Path.Combine(work, "s.scenario");
                    File.WriteAllText(path, ScenarioFileWriter.Write(file));
                    return ScenarioReads.Pair(real.Run(path, file), ScenarioCalibration.RunModel(system, file));
                }
                for (var i = 0; i < count && !stop; i++)
                {
                    var file = RandomScenarios.Generate(seed, i);
                    var rows = Compare(file);
                    var result = new RandomScenarioResult(i, file, rows, null, null);
                    if (!result.Agrees)
                    {
                        stderr.WriteLine($"\nscenario {i} disagrees ({result.Kind}): shrinking");
                        var shrunk = ScenarioShrinker.Shrink(file, f => !stop && Compare(f).Any(r => !r.Agrees), ShrinkChecks);
                        result = result with { Shrunk = shrunk, ShrunkRows = Compare(shrunk) };
                    }
                    results.Add(result);
                    Progress(stderr, results.Count, count, results.Count(r => r.Agrees));
                }
            }
            catch (CalibrationFailed e)
            {
                stderr.WriteLine($"\nactorkernel: calibration failed: {e.Message}");
                if (results.Count == 0) return 1;
                stop = true;
            }
            finally
            {
                system.Terminate().Wait(TimeSpan.FromSeconds(10));
                try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
        stderr.WriteLine();

        var summary = RandomCalibrationReport.Summary(seed, count, results, CalibrationRunner.KernelRelease(), clock.Elapsed);
        var files = new List<(string, byte[])> { ("summary.txt", Encoding.UTF8.GetBytes(summary)) };
        foreach (var r in results.Where(r => !r.Agrees))
        {
            var name = r.Index.ToString("D5", CultureInfo.InvariantCulture);
            files.Add(($"disagreement-{name}.scenario", Encoding.UTF8.GetBytes(ScenarioFileWriter.Write(r.Shrunk ?? r.File))));
            files.Add(($"disagreement-{name}.original.scenario", Encoding.UTF8.GetBytes(ScenarioFileWriter.Write(r.File))));
            files.Add(($"disagreement-{name}.test.cs", Encoding.UTF8.GetBytes(RandomCalibrationReport.TestKitTest(seed, r))));
        }
        OutputFolder.Write(outDir, files);
        stdout.Write(summary);
        stdout.WriteLine($"Wrote {outDir}");
        if (stop) return 130;
        return requireAgreement && results.Any(r => !r.Agrees) ? 1 : 0;
    }

    private static void Progress(TextWriter stderr, int done, int count, int agree)
    {
        const int width = 30;
        var filled = (int)((long)done * width / count);
        stderr.Write($"\r[{new string('#', filled)}{new string('.', width - filled)}] {done}/{count} scenarios, {agree} agree");
    }
}
