using ActorKernel.Actors.Engine;
using Akka.Actor;

namespace ActorKernel.Actors.Tests.Engine;

public sealed class ScheduleStrategyTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("strategy-tests");
    private readonly SimLane _lane;

    public ScheduleStrategyTests() => _lane = new SimLane(_system, 0);

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    private SimRunOutcome Race(ulong seed, ScheduleOptions? options, int workers = 6, int rounds = 4, Interleaving interleaving = Interleaving.Random) =>
        _lane.Run(sim => Props.Create(() => new RaceRoot(sim, workers, rounds)), seed, interleaving, 100_000, schedule: options);

    private static ExplorationStrategy Parse(string text) =>
        ExplorationStrategy.TryParse(text, out var s) ? s : throw new ArgumentException(text);

    [Fact]
    public void RecordingTheRandomStrategyChangesNothing()
    {
        for (ulong seed = 0; seed < 20; seed++)
        {
            var plain = Race(seed, null);
            var recorded = Race(seed, new ScheduleOptions { Record = true });
            Assert.Equal(plain.Result, recorded.Result);
            Assert.Null(plain.Schedule);
            Assert.NotNull(recorded.Schedule);
            Assert.True(recorded.Schedule!.ChoicePoints > 0);
        }
    }

    [Fact]
    public void RecordingFifoRecordsNoDecision()
    {
        var recorded = Race(3, new ScheduleOptions { Record = true }, interleaving: Interleaving.Fifo);
        Assert.Equal(Race(3, null, interleaving: Interleaving.Fifo).Result, recorded.Result);
        Assert.Equal(0, recorded.Schedule!.Size);
    }

    [Theory]
    [InlineData("random")]
    [InlineData("pct:1")]
    [InlineData("pct:3")]
    [InlineData("delay:2")]
    [InlineData("portfolio")]
    public void AReplayedScheduleReproducesTheRunWithoutTheStrategy(string strategy)
    {
        for (ulong seed = 0; seed < 10; seed++)
        {
            var options = new ScheduleOptions { Strategy = Parse(strategy), Record = true, ChoicePointsHint = 20 };
            var original = Race(seed, options);
            var schedule = RunSchedule.Parse(original.Schedule!.ToText());
            var replayed = Race(seed, new ScheduleOptions { Replay = schedule, Record = true });
            Assert.Equal(original.Result, replayed.Result);
            Assert.Equal(original.VirtualTimeNs, replayed.VirtualTimeNs);
            Assert.Equal(schedule.Choices, replayed.Schedule!.Choices);
        }
    }

    [Theory]
    [InlineData("random")]
    [InlineData("pct:3")]
    [InlineData("delay:3")]
    public void WithAWindowAStrategyMovesEventsOfDifferentInstants_ButEachActorKeepsItsOrder(string strategy)
    {
        // Rounds are 100 ns apart: a 150 ns window lets a worker's round r+1 overtake another worker's round r.
        var options = new ScheduleOptions { Strategy = Parse(strategy), MaxDelayNs = 150, Record = true, ChoicePointsHint = 24 };
        var overtaken = 0;
        for (ulong seed = 0; seed < 10; seed++)
        {
            var original = Race(seed, options);
            Assert.True(original.Succeeded, original.Failure);
            var log = ((string)original.Result!).Split(',');
            var rounds = log.Select(e => int.Parse(e[(e.IndexOf('r') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            if (rounds.Zip(rounds.Skip(1)).Any(p => p.Second < p.First)) overtaken++;
            foreach (var worker in Enumerable.Range(0, 6))
                Assert.Equal(["0", "1", "2", "3"], log.Where(e => e.StartsWith($"w{worker}r", StringComparison.Ordinal)).Select(e => e[(e.IndexOf('r') + 1)..]));
            // No event waits longer than the window: the run ends by the last round's time plus the window.
            Assert.InRange(original.VirtualTimeNs, 400, 550);
            var replayed = Race(seed, new ScheduleOptions { Replay = RunSchedule.Parse(original.Schedule!.ToText()) });
            Assert.Equal(original.Result, replayed.Result);
            Assert.Equal(original.VirtualTimeNs, replayed.VirtualTimeNs);
        }
        Assert.True(overtaken > 0, "some schedule should let a later round overtake an earlier one");
    }

    [Fact]
    public void ReplayingAnEmptyScheduleIsSchedulingOrder()
    {
        var fifo = Race(5, null, interleaving: Interleaving.Fifo);
        var replayed = Race(5, new ScheduleOptions { Replay = new RunSchedule { Seed = 5 } });
        Assert.Equal(fifo.Result, replayed.Result);
    }

    [Fact]
    public void PctKeepsEachActorsOwnOrderAndVariesAcrossSeeds()
    {
        var options = new ScheduleOptions { Strategy = Parse("pct:2"), ChoicePointsHint = 20 };
        var orders = new HashSet<string>();
        for (ulong seed = 0; seed < 12; seed++)
        {
            var result = (string)Race(seed, options).Result!;
            orders.Add(result);
            foreach (var worker in Enumerable.Range(0, 6))
            {
                var rounds = result.Split(',').Where(e => e.StartsWith($"w{worker}r", StringComparison.Ordinal)).Select(e => e[(e.IndexOf('r') + 1)..]).ToArray();
                Assert.Equal(["0", "1", "2", "3"], rounds);
            }
        }
        Assert.True(orders.Count > 3, $"pct should order the workers differently across seeds, got {orders.Count} orders");
    }

    [Fact]
    public void PctWithDepthOneRunsTheHighestPriorityActorFirstAtEveryInstant()
    {
        var result = (string)Race(9, new ScheduleOptions { Strategy = Parse("pct:1") }).Result!;
        var firstOfEachRound = Enumerable.Range(0, 4).Select(r => result.Split(',').First(e => e.EndsWith($"r{r}", StringComparison.Ordinal))).Select(e => e[..e.IndexOf('r')]).Distinct().ToArray();
        Assert.Single(firstOfEachRound);
    }

    [Fact]
    public void DelayKeepsSchedulingOrderExceptAtMostKTimes()
    {
        var fifo = ((string)Race(1, null, interleaving: Interleaving.Fifo).Result!).Split(',');
        for (ulong seed = 0; seed < 10; seed++)
        {
            var outcome = Race(seed, new ScheduleOptions { Strategy = Parse("delay:2"), Record = true, ChoicePointsHint = 16 });
            Assert.InRange(outcome.Schedule!.Choices.Count, 0, 2);
            if (outcome.Schedule.Choices.Count == 0) Assert.Equal(fifo, ((string)outcome.Result!).Split(','));
        }
    }

    [Fact]
    public void APortfolioPicksItsMemberFromTheSeed()
    {
        var portfolio = Parse("portfolio");
        var members = Enumerable.Range(0, 30).Select(s => portfolio.ForSeed((ulong)s).ToString()).ToHashSet();
        Assert.Equal(["delay:3", "pct:3", "random"], members.Order());
        Assert.Equal(["random", "pct:3", "delay:3", "random"], Enumerable.Range(0, 4).Select(i => portfolio.ForIteration(i).ToString()));
    }

    [Theory]
    [InlineData("random", true)]
    [InlineData("portfolio", true)]
    [InlineData("pct:1", true)]
    [InlineData("pct:100", true)]
    [InlineData("pct:101", false)]
    [InlineData("pct:0", false)]
    [InlineData("delay:1000", true)]
    [InlineData("delay:1001", false)]
    [InlineData("delay:", false)]
    [InlineData("delay:-1", false)]
    [InlineData("pct", false)]
    [InlineData("fifo", false)]
    [InlineData("PCT:3", false)]
    public void StrategiesParseOnlyInTheirWrittenForm(string text, bool ok)
    {
        Assert.Equal(ok, ExplorationStrategy.TryParse(text, out var s));
        if (ok) Assert.Equal(text, s.ToString());
    }

    [Fact]
    public void TheScheduleTextRoundTrips()
    {
        var schedule = new RunSchedule
        {
            Seed = 18446744073709551615,
            Strategy = Parse("pct:3"),
            Run = 7,
            MaxDelayNs = 2000,
            ChoicePoints = 40,
            Choices = [new ScheduleChoice(3, 1), new ScheduleChoice(9, 4)],
        };
        Assert.Equal(schedule, RunSchedule.Parse(schedule.ToText()));
        Assert.Equal("actorkernel-schedule 1\nseed 18446744073709551615\nstrategy pct:3\nrun 7\nmax-delay-ns 2000\nchoice-points 40\nc 3 1\nc 9 4\n", schedule.ToText());
    }

    [Theory]
    [InlineData("", "not a schedule")]
    [InlineData("actorkernel-schedule 1\n", "no 'seed' line")]
    [InlineData("actorkernel-schedule 1\nseed 1\nc 3 0\n", "line 3")]
    [InlineData("actorkernel-schedule 1\nseed 1\nc 3 1\nc 2 1\n", "must increase")]
    [InlineData("actorkernel-schedule 1\nseed x\n", "unsigned integer")]
    [InlineData("actorkernel-schedule 1\nseed 1\nwhat 3\n", "expected seed, strategy")]
    [InlineData("actorkernel-schedule 1\nseed 1\nstrategy pct:0\n", "pct:D")]
    [InlineData("actorkernel-schedule 1\nseed 1\nc 1\n", "3 fields")]
    [InlineData("actorkernel-schedule 1\nseed 1\nmax-delay-ns 1000000001\n", "0 to 1000000000")]
    public void ABadScheduleIsRefusedNamingTheLine(string text, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => RunSchedule.Parse(text));
        Assert.Contains(expected, ex.Message);
    }
}

/// <summary>
/// Workers that each get a message at the same instants, round after round, and report to the
/// root at once: the root's log is the delivery order the engine chose ("w3r0" = worker 3, round 0).
/// </summary>
internal sealed class RaceRoot : SimRootActor
{
    private readonly int _workers;
    private readonly int _rounds;
    private readonly List<string> _log = new();

    public RaceRoot(SimContext sim, int workers, int rounds) : base(sim)
    {
        _workers = workers;
        _rounds = rounds;
    }

    protected override void PreStart()
    {
        base.PreStart();
        var workers = Enumerable.Range(0, _workers).Select(i => Context.ActorOf(Sim.Bind(Props.Create(() => new Worker(Sim, i))), $"w{i}")).ToArray();
        for (var r = 0; r < _rounds; r++)
            foreach (var w in workers)
                Sim.Schedule(100 * (r + 1), w, r, Self);
    }

    protected override void OnRootMessage(object message)
    {
        if (message is not string entry) return;
        _log.Add(entry);
        if (_log.Count == _workers * _rounds) Sim.Complete(string.Join(",", _log));
    }

    private sealed class Worker : UntypedActor
    {
        private readonly SimContext _sim;
        private readonly int _id;

        public Worker(SimContext sim, int id)
        {
            _sim = sim;
            _id = id;
        }

        protected override void OnReceive(object message)
        {
            if (message is int round) Sender.Tell($"w{_id}r{round}");
            else _sim.Unexpected(Self, message);
        }
    }
}
