using System.Globalization;
using ActorKernel.Actors.Engine;
using ActorKernel.Actors.Metrics;

namespace ActorKernel.TestKit.Exploration;

/// <summary>What a property sees of one explored run: everything observed so far and, once the run is over, its figures.</summary>
public sealed class ExploredRun
{
    private readonly Scenario _scenario;

    internal ExploredRun(Scenario scenario) => _scenario = scenario;

    /// <summary>The run's seed.</summary>
    public ulong Seed => _scenario.Seed;

    /// <summary>Virtual time now, in nanoseconds.</summary>
    public long NowNs => _scenario.NowNs;

    /// <summary>Everything observed so far, in order.</summary>
    public IReadOnlyList<object> Observations => _scenario.Observations;

    /// <summary>Probe reads observed so far, in order.</summary>
    public IReadOnlyList<ProbeReadCompleted> ProbeReads => _scenario.ProbeReads;

    /// <summary>The run's figures once it has finished (<see cref="ScenarioExploration.Always"/> and <see cref="ScenarioExploration.Sometimes"/> see them); null while it runs.</summary>
    public RunMetrics? Metrics { get; internal set; }
}

/// <summary>
/// Runs a scenario many times under a schedule strategy (docs/exploration.md) and checks properties:
/// <see cref="Always"/> in every schedule, <see cref="Sometimes"/> in at least one, <see cref="Eventually"/>
/// within a virtual time in every schedule. <see cref="Check"/> reports "N schedules, X violated (Wilson
/// 95% interval)", saves the first violating schedule (shrunk) to a file and gives the command that
/// replays it: with <see cref="ScheduleVariable"/> set to that file, the same test runs that schedule only.
/// </summary>
public sealed class ScenarioExploration
{
    /// <summary>Set to a schedule file to make every exploration replay that schedule once instead of exploring.</summary>
    public const string ScheduleVariable = "ACTORKERNEL_SCHEDULE";

    private readonly ScenarioBuilder _builder;
    private readonly int _iterations;
    private readonly ExplorationStrategy _strategy;
    private readonly long _maxDelayNs;
    private readonly List<(string Name, Func<ExploredRun, bool> Holds)> _always = new();
    private readonly List<(string Name, Func<ExploredRun, bool> Holds)> _sometimes = new();
    private readonly List<(string Name, Func<ExploredRun, bool> Holds, long WithinNs)> _eventually = new();
    private string _saveDir = Path.Combine(Path.GetTempPath(), "actorkernel-schedules");
    private bool _shrink = true;

    internal ScenarioExploration(ScenarioBuilder builder, int iterations, ExplorationStrategy strategy, long maxDelayNs)
    {
        _builder = builder;
        _iterations = iterations;
        _strategy = strategy;
        _maxDelayNs = maxDelayNs;
    }

    /// <summary><paramref name="holds"/> must be true at the end of every schedule's run.</summary>
    public ScenarioExploration Always(string name, Func<ExploredRun, bool> holds)
    {
        _always.Add((name, holds));
        return this;
    }

    /// <summary><paramref name="holds"/> must be true at the end of at least one schedule's run (the race is reachable).</summary>
    public ScenarioExploration Sometimes(string name, Func<ExploredRun, bool> holds)
    {
        _sometimes.Add((name, holds));
        return this;
    }

    /// <summary>
    /// Liveness: in every schedule <paramref name="holds"/> becomes true by virtual time <paramref name="withinNs"/>
    /// (every fork finishes, every probe read returns, no writer waits for ever). It is checked after every
    /// step of the run until it holds.
    /// </summary>
    public ScenarioExploration Eventually(string name, Func<ExploredRun, bool> holds, long withinNs)
    {
        _eventually.Add((name, holds, withinNs));
        return this;
    }

    /// <summary>Where the first violating schedule is written (default: the system's temp folder, actorkernel-schedules/).</summary>
    public ScenarioExploration SaveTo(string directory)
    {
        _saveDir = directory;
        return this;
    }

    /// <summary>Shrink the first violating schedule before saving it (default on).</summary>
    public ScenarioExploration Shrink(bool shrink)
    {
        _shrink = shrink;
        return this;
    }

    /// <summary>Explore, and throw a <see cref="ScenarioExpectationException"/> if any property failed; returns the report otherwise.</summary>
    public ExplorationReport Check()
    {
        var result = Run();
        if (result.Failure is { } failure) throw new ScenarioExpectationException(failure);
        return result.Report;
    }

    /// <summary>Explore without throwing: the report, the path of the saved schedule (if any) and the failure message (if any).</summary>
    public ExplorationResult Run()
    {
        var test = Replay.CallingTest();
        var held = new bool[_sometimes.Count];
        ScheduleVerdict Once(ulong seed, ScheduleOptions options) => RunOnce(seed, options, held);

        ExplorationReport report;
        if (Environment.GetEnvironmentVariable(ScheduleVariable) is { Length: > 0 } replayFile)
        {
            var schedule = RunSchedule.Parse(File.ReadAllText(replayFile));
            var verdict = Once(schedule.Seed, new ScheduleOptions { Replay = schedule, Record = true });
            report = new ExplorationReport(schedule.Strategy, 1, verdict.Violation is null ? 0 : 1,
                verdict.Violation is null ? null : new ExploredViolation(0, verdict.Violation, schedule, verdict.Schedule, 0));
        }
        else
        {
            var baseSeed = _builder.BaseSeed;
            report = ScheduleExplorer.Explore(_iterations, _strategy, _maxDelayNs, i => baseSeed + (ulong)i, (_, seed, options) => Once(seed, options), _shrink);
        }

        string? saved = null;
        var problems = new List<string>();
        if (report.First is { } first)
        {
            Directory.CreateDirectory(_saveDir);
            saved = Path.GetFullPath(Path.Combine(_saveDir, string.Create(CultureInfo.InvariantCulture, $"{test?.Split('.')[^1] ?? "scenario"}-seed{first.Shrunk.Seed}.schedule")));
            File.WriteAllText(saved, first.Shrunk.ToText());
            var replay = test is null ? $"{ScheduleVariable}={saved} dotnet test" : $"{ScheduleVariable}={saved} dotnet test --filter \"FullyQualifiedName~{test}\"";
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"{first.Message} (schedule {first.Iteration}, seed {first.Shrunk.Seed}, {_strategy}; shrunk from {first.Found.Size} to {first.Shrunk.Size} decisions in {first.ShrinkRuns} replays; saved to {saved}; replay: {replay})"));
        }
        for (var i = 0; i < _sometimes.Count; i++)
            if (!held[i]) problems.Add($"Sometimes '{_sometimes[i].Name}' held in none of the {report.Schedules} schedules");
        var failure = problems.Count == 0 ? null : $"{report.Summary}: {string.Join("; ", problems)}";
        return new ExplorationResult(report, saved, failure);
    }

    private ScheduleVerdict RunOnce(ulong seed, ScheduleOptions options, bool[] sometimesHeld)
    {
        using var scenario = _builder.Build(seed, options);
        var run = new ExploredRun(scenario);
        string? violation = null;
        foreach (var (name, holds, withinNs) in _eventually)
        {
            scenario.RunUntil(() => holds(run) || scenario.NowNs > withinNs);
            if (!holds(run))
            {
                violation ??= string.Create(CultureInfo.InvariantCulture, $"Eventually '{name}' did not hold within {withinNs} ns (at {scenario.NowNs} ns)");
            }
        }
        try
        {
            run.Metrics = scenario.Finish();
        }
        catch (ScenarioExpectationException e)
        {
            return new ScheduleVerdict(scenario.RecordedSchedule!, violation ?? e.Message);
        }
        foreach (var (name, holds) in _always)
            if (!holds(run)) violation ??= $"Always '{name}' was violated";
        for (var i = 0; i < _sometimes.Count; i++)
            if (!sometimesHeld[i] && _sometimes[i].Holds(run)) sometimesHeld[i] = true;
        return new ScheduleVerdict(scenario.RecordedSchedule!, violation);
    }
}

/// <summary>An exploration's report, where its first violating schedule was saved, and the failure message (null when every property held).</summary>
public sealed record ExplorationResult(ExplorationReport Report, string? SavedSchedule, string? Failure);

/// <summary>Starts an exploration from a scenario builder.</summary>
public static class ScenarioExplorationExtensions
{
    /// <summary>
    /// Run this scenario <paramref name="iterations"/> times (seeds from the builder's seed on) under
    /// <paramref name="strategy"/> (<c>random</c>, <c>pct:D</c>, <c>delay:K</c>, <c>portfolio</c>), choosing among
    /// events due within <paramref name="maxDelayNs"/> of each other (engine.max-delay-ns).
    /// </summary>
    public static ScenarioExploration Explore(this ScenarioBuilder builder, int iterations, string strategy = "portfolio", long maxDelayNs = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxDelayNs);
        if (!ExplorationStrategy.TryParse(strategy, out var s))
            throw new ArgumentException($"invalid strategy '{strategy}': expected {ExplorationStrategy.Expected}", nameof(strategy));
        return new ScenarioExploration(builder, iterations, s, maxDelayNs);
    }
}
