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
    /// <summary>The model's reads, grouped by exec. Binding the kernel profile can throw a ConfigError (a user mistake).</summary>
    public static IReadOnlyList<IReadOnlyList<(string Target, ScenarioReadOutcome Outcome)>> RunModel(ScenarioFile file)
    {
        var system = ModelSystem();
        try
        {
            return RunModel(system, file);
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>An actor system for model runs (quiet logging).</summary>
    public static ActorSystem ModelSystem() =>
        ActorSystem.Create("actorkernel-scenario", ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.log-dead-letters = off"));

    /// <summary>As <see cref="RunModel(ScenarioFile)"/>, on an actor system of the caller's.</summary>
    public static IReadOnlyList<IReadOnlyList<(string Target, ScenarioReadOutcome Outcome)>> RunModel(ActorSystem system, ScenarioFile file)
    {
        try
        {
            return ScenarioReads.ModelExecs(ScenarioFileRun.ExecveReads(system, file));
        }
        catch (TestKit.ScenarioExpectationException e)
        {
            throw new CalibrationFailed($"the model failed on the scenario: {e.Message}");
        }
    }

    /// <summary>The real kernel's reads, grouped by exec in the order bpftrace printed them.</summary>
    public static IReadOnlyList<IReadOnlyList<(string Target, ScenarioReadOutcome Outcome)>> RunReal(CalibrationHost host, string scenarioPath, ScenarioFile file, TextWriter progress)
    {
        using var session = new RealScenarioSession(host, progress);
        return session.Run(scenarioPath, file);
    }
}

/// <summary>
/// One bpftrace session (calibration/scenario.bt) and work directory for any number of scenario
/// runs: each run builds calibration/scenario_runner.c with the file's header and runs it; its
/// execs are told apart from other runs' by the pids of its "exec-call" lines.
/// </summary>
public sealed class RealScenarioSession : IDisposable
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan RunnerTimeout = TimeSpan.FromMinutes(5);

    private readonly CalibrationHost _host;
    private readonly TextWriter _progress;
    private readonly string _work = Directory.CreateTempSubdirectory("actorkernel-scenario-").FullName;
    private readonly string _source;
    private readonly BpftraceSession<ScenarioExecObservation> _bpftrace;

    public RealScenarioSession(CalibrationHost host, TextWriter progress)
    {
        _host = host;
        _progress = progress;
        _source = Path.Combine(_work, "scenario_runner.c");
        File.WriteAllText(_source, CalibrationRunner.Resource("ActorKernel.calibration.scenario_runner.c"));
        var script = Path.Combine(_work, "scenario.bt");
        File.WriteAllText(script, CalibrationRunner.Resource("ActorKernel.calibration.scenario.bt"));
        _bpftrace = new BpftraceSession<ScenarioExecObservation>(host.BpftracePath!, script,
            line => ScenarioReads.ParseProbeLine(line) is { } o ? [o] : [],
            new Dictionary<string, string> { ["BPFTRACE_STRLEN"] = "64" });
        _bpftrace.WaitAttached();
    }

    /// <summary>Run <paramref name="file"/> (saved at <paramref name="scenarioPath"/>) on the real kernel; its reads grouped by exec, in bpftrace's order.</summary>
    public IReadOnlyList<IReadOnlyList<(string Target, ScenarioReadOutcome Outcome)>> Run(string scenarioPath, ScenarioFile file)
    {
        var header = Path.Combine(_work, "ak_scenario.h");
        File.WriteAllText(header, ScenarioRunnerHeader.Generate(file));
        // Named ak_scenario: scenario.bt filters on that comm.
        var binary = Path.Combine(_work, "ak_scenario");
        var (code, output) = CalibrationRunner.RunToEnd(_host.CcPath!, ["-O1", "-pthread", "-include", header, "-o", binary, _source], TimeSpan.FromMinutes(2));
        if (code != 0) throw new CalibrationFailed($"cc could not build calibration/scenario_runner.c (exit {code}): {CalibrationRunner.FirstLine(output)}");
        (code, output) = CalibrationRunner.RunToEnd(binary, [Path.GetFullPath(scenarioPath)], RunnerTimeout);
        if (code != 0) throw new CalibrationFailed($"the scenario runner failed (exit {code}): {CalibrationRunner.FirstLine(output)}");
        foreach (var line in output.Split('\n').Where(l => l.StartsWith("cache-state ", StringComparison.Ordinal)))
            _progress.WriteLine($"  real kernel: {line.Trim()}");
        var calls = ScenarioReads.ParseCalls(output);
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        List<ScenarioExecObservation> mine;
        while (true)
        {
            mine = _bpftrace.Observations().Where(o => calls.ContainsKey(o.Pid)).ToList();
            if (mine.Count >= calls.Count || deadline.Elapsed > DrainTimeout) break;
            Thread.Sleep(20);
        }
        return ScenarioReads.RealExecs(mine, calls);
    }

    public void Dispose()
    {
        _bpftrace.Dispose();
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
