using ActorKernel.Actors.Engine;
using ActorKernel.Model;
using ActorKernel.TestKit.Exploration;

namespace ActorKernel.TestKit.Tests.Exploration;

/// <summary>
/// Explore(): the race of ExplorationTests (a vfork child's exec against another thread's first
/// touch of the same string, tied at one instant) explored by strategies instead of a seed loop.
/// </summary>
public sealed class ScenarioExplorationTests : ScenarioTestKit, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"actorkernel-explore-{Guid.NewGuid():N}");

    void IDisposable.Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
        Dispose();
    }

    private ScenarioBuilder Race() => Scenario()
        .Set("costs.syscall-entry-ns", "0")
        .Set("costs.copy-from-user-ns", "0")
        .Set("costs.minor-fault-ns", "0")
        .Set("costs.fault-around-page-ns", "0")
        .Process(p => p
            .String("path", RegionKind.Rodata, 5, "/usr/bin/true")
            .PointerArray("argv", RegionKind.Stack, 28, "path")
            .Thread(t => t.Vfork(child => child.Exec("path", "argv")).WaitChild())
            .Thread(t => t.Sleep(0).Read("path")));

    private static bool FilenameReadOk(ExploredRun r) => r.ProbeReads.First(x => x.Target == ProbeTargets.Filename).Ok;

    [Fact]
    public void Sometimes_TheProbeLosesTheRace_AndAlwaysTheRunCompletes()
    {
        var report = Race().Explore(20, "random")
            .Sometimes("the probe loses the race", r => !FilenameReadOk(r))
            .Sometimes("the probe wins the race", FilenameReadOk)
            .Always("the run has figures", r => r.Metrics is not null)
            .SaveTo(_dir)
            .Check();
        Assert.Equal("20 schedules, 0 violated (Wilson 95% interval 0% to 16.11%)", report.Summary);
        Assert.False(Directory.Exists(_dir));
    }

    [Fact]
    public void AnAlwaysThatFails_IsReportedWithItsShareTheSavedShrunkScheduleAndTheReplayCall()
    {
        var result = Race().Explore(30, "pct:1").Always("the probe reads the filename", FilenameReadOk).SaveTo(_dir).Run();
        Assert.InRange(result.Report.Violated, 1, 29);
        Assert.StartsWith($"30 schedules, {result.Report.Violated} violated (Wilson 95% interval ", result.Failure);
        Assert.Contains("Always 'the probe reads the filename' was violated", result.Failure);
        Assert.Contains($"saved to {result.SavedSchedule}", result.Failure);
        Assert.Contains($"replay: ACTORKERNEL_SCHEDULE={result.SavedSchedule} dotnet test --filter \"FullyQualifiedName~{typeof(ScenarioExplorationTests).FullName}.{nameof(AnAlwaysThatFails_IsReportedWithItsShareTheSavedShrunkScheduleAndTheReplayCall)}\"", result.Failure);
        var saved = RunSchedule.Parse(File.ReadAllText(result.SavedSchedule!));
        // One tie decides the race: the shrunk schedule is that one decision (or none, if scheduling order already loses).
        Assert.InRange(saved.Size, 0, 1);
        Assert.True(saved.Size <= result.Report.First!.Found.Size);
        Assert.Throws<ScenarioExpectationException>(() => Race().Explore(30, "pct:1").Always("the probe reads the filename", FilenameReadOk).SaveTo(_dir).Check());
    }

    [Fact]
    public void EventuallyThatNeverHolds_NamesTheBound()
    {
        var result = Race().Explore(3, "delay:1").Eventually("a thousand probe reads", r => r.ProbeReads.Count >= 1000, withinNs: 5_000_000).SaveTo(_dir).Shrink(false).Run();
        Assert.Equal(3, result.Report.Violated);
        Assert.Contains("Eventually 'a thousand probe reads' did not hold within 5000000 ns", result.Failure);
    }

    [Fact]
    public void EventuallyThatHolds_PassesInEverySchedule()
    {
        var report = Race().Explore(5, "portfolio").Eventually("the filename is read", r => r.ProbeReads.Any(x => x.Target == ProbeTargets.Filename), withinNs: 1_000_000).SaveTo(_dir).Check();
        Assert.Equal(0, report.Violated);
    }

    [Fact]
    public void ABadStrategyIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => Race().Explore(5, "pct:0"));
        Assert.Contains("expected random, pct:D", e.Message);
    }
}
