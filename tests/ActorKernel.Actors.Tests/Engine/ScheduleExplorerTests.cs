using ActorKernel.Actors.Engine;
using ActorKernel.Bench.Planted;
using Akka.Actor;

namespace ActorKernel.Actors.Tests.Engine;

/// <summary>Exploration and shrinking on the planted bug (an rwsem without writer hand-off, bench/ActorKernel.Bench/Planted).</summary>
public sealed class ScheduleExplorerTests : IDisposable
{
    private const int Readers = 24;
    private const int StarvedPeriods = 6;
    private readonly ActorSystem _system = ActorSystem.Create("explorer-tests");
    private readonly SimLane _lane;

    public ScheduleExplorerTests() => _lane = new SimLane(_system, 0);

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    private static ExplorationStrategy Parse(string text) =>
        ExplorationStrategy.TryParse(text, out var s) ? s : throw new ArgumentException(text);

    private ScheduleVerdict Run(ulong seed, ScheduleOptions options, bool handoff = false)
    {
        var outcome = _lane.Run(PlantedRwsemRoot.Props(handoff, Readers), seed, Interleaving.Random, 10_000, schedule: options);
        Assert.True(outcome.Succeeded, outcome.Failure);
        var waited = ((PlantedRwsemRoot.Outcome)outcome.Result!).WriterWaitNs;
        return new ScheduleVerdict(outcome.Schedule!, waited > StarvedPeriods * PlantedRwsemRoot.PeriodNs ? $"the writer waited {waited} ns" : null);
    }

    private ExplorationReport Explore(string strategy, int iterations, bool handoff = false, bool shrink = true) =>
        ScheduleExplorer.Explore(iterations, Parse(strategy), 0, i => (ulong)i, (_, seed, o) => Run(seed, o, handoff), shrink);

    [Fact]
    public void SchedulingOrderAloneNeverStarvesTheWriter()
    {
        var verdict = Run(1, new ScheduleOptions { Replay = new RunSchedule { Seed = 1 }, Record = true });
        Assert.Null(verdict.Violation);
    }

    [Fact]
    public void PctFindsTheStarvationInFarMoreSchedulesThanRandom()
    {
        var random = Explore("random", 200, shrink: false);
        var pct = Explore("pct:1", 200, shrink: false);
        // random: 2^-6 per schedule (about 3 in 200); pct: about half. The bench measures the ratio over more trials.
        Assert.InRange(random.Violated, 0, 15);
        Assert.InRange(pct.Violated, 60, 160);
    }

    [Fact]
    public void WithHandoffNoStrategyFindsAnything()
    {
        Assert.Equal(0, Explore("pct:2", 60, handoff: true).Violated);
        Assert.Equal(0, Explore("portfolio", 60, handoff: true).Violated);
    }

    [Fact]
    public void ShrinkingLeavesExactlyTheTiesTheStarvationNeeds_AndTheShrunkScheduleStillViolates()
    {
        var report = Explore("pct:1", 20);
        var v = report.First!;
        Assert.True(v.Found.Size > StarvedPeriods, $"pct's schedule should carry more decisions than needed, had {v.Found.Size}");
        // The writer starves only if the arrival wins the first K ties: K decisions, at the first K points, nothing else.
        Assert.Equal(Enumerable.Range(0, StarvedPeriods).Select(p => new ScheduleChoice(p, 1)), v.Shrunk.Choices);
        var text = v.Shrunk.ToText();
        Assert.NotNull(Run(v.Shrunk.Seed, new ScheduleOptions { Replay = RunSchedule.Parse(text), Record = true }).Violation);
        // 1-minimal: removing any single decision ends the violation.
        foreach (var c in v.Shrunk.Choices)
            Assert.Null(Run(v.Shrunk.Seed, new ScheduleOptions { Replay = v.Shrunk with { Choices = v.Shrunk.Choices.Where(x => x != c).ToArray() }, Record = true }).Violation);
    }

    [Fact]
    public void TheReportStatesTheShareWithAWilsonInterval()
    {
        var report = new ExplorationReport(Parse("random"), 100, 3, null);
        Assert.Equal("100 schedules, 3 violated (Wilson 95% interval 1.03% to 8.45%)", report.Summary);
        Assert.Equal("50 schedules, 0 violated (Wilson 95% interval 0% to 7.13%)", new ExplorationReport(Parse("random"), 50, 0, null).Summary);
    }
}
