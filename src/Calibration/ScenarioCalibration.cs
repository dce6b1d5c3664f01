using ActorKernel.TestKit.ScenarioFiles;
using Akka.Actor;
using Akka.Configuration;

namespace ActorKernel.Calibration;

/// <summary>
/// One scenario file on both sides: in the model (the TestKit, seed 1, probe policy nofault) and on
/// this machine's kernel (calibration/scenario_runner.c, built with cc and a header generated from the
/// file, under calibration/scenario.bt); the probe reads at sys_enter_execve paired read by read.
/// Needs <see cref="CalibrationHost.Missing"/> empty and <see cref="ScenarioRunnerHeader.Unsupported"/> null; the caller checks.
/// </summary>
public static class ScenarioCalibration
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan RunnerTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The model's reads, grouped by exec. Binding the kernel profile can throw a ConfigError (a user mistake).</summary>
    public static IReadOnlyList<IReadOnlyList<(string Target, ScenarioReadOutcome Outcome)>> RunModel(ScenarioFile file)
    {
        var system = ActorSystem.Create("actorkernel-scenario", ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.log-dead-letters = off"));
        try
        {
            return ScenarioReads.ModelExecs(ScenarioFileRun.ExecveReads(system, file));
        }
        catch (TestKit.ScenarioExpectationException e)
        {
            throw new CalibrationFailed($"the model failed on the scenario: {e.Message}");
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>The real kernel's reads, grouped by exec in the order bpftrace printed them.</summary>
    public static IReadOnlyList<IReadOnlyList<(string Target, ScenarioReadOutcome Outcome)>> RunReal(CalibrationHost host, string scenarioPath, ScenarioFile file, TextWriter progress)
    {
        var work = Directory.CreateTempSubdirectory("actorkernel-scenario-").FullName;
        try
        {
            var source = Path.Combine(work, "scenario_runner.c");
            File.WriteAllText(source, CalibrationRunner.Resource("ActorKernel.calibration.scenario_runner.c"));
            var script = Path.Combine(work, "scenario.bt");
            File.WriteAllText(script, CalibrationRunner.Resource("ActorKernel.calibration.scenario.bt"));
            var header = Path.Combine(work, "ak_scenario.h");
            File.WriteAllText(header, ScenarioRunnerHeader.Generate(file));
            // Named ak_scenario: scenario.bt filters on that comm.
            var binary = Path.Combine(work, "ak_scenario");
            var (code, output) = CalibrationRunner.RunToEnd(host.CcPath!, ["-O1", "-pthread", "-include", header, "-o", binary, source], TimeSpan.FromMinutes(2));
            if (code != 0) throw new CalibrationFailed($"cc could not build calibration/scenario_runner.c (exit {code}): {CalibrationRunner.FirstLine(output)}");

            using var bpftrace = new BpftraceSession<ScenarioExecObservation>(host.BpftracePath!, script,
                line => ScenarioReads.ParseProbeLine(line) is { } o ? [o] : [],
                new Dictionary<string, string> { ["BPFTRACE_STRLEN"] = "64" });
            bpftrace.WaitAttached();
            (code, output) = CalibrationRunner.RunToEnd(binary, [Path.GetFullPath(scenarioPath)], RunnerTimeout);
            if (code != 0) throw new CalibrationFailed($"the scenario runner failed (exit {code}): {CalibrationRunner.FirstLine(output)}");
            foreach (var line in output.Split('\n').Where(l => l.StartsWith("cache-state ", StringComparison.Ordinal)))
                progress.WriteLine($"  real kernel: {line.Trim()}");
            var calls = ScenarioReads.ParseCalls(output);
            bpftrace.WaitFor(calls.Count, DrainTimeout);
            return ScenarioReads.RealExecs(bpftrace.Observations(), calls);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
