using ActorKernel.Actors.Engine;
using Akka.Actor;

namespace ActorKernel.Actors.Tests.Engine;

public sealed class SimLaneTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("engine-tests");

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    private SimRunOutcome PingPong(SimLane lane, int volleys, long delayNs, ulong seed = 1) =>
        lane.Run(sim => Props.Create(() => new PingPongRoot(sim, volleys, delayNs)), seed, Interleaving.Random, 1_000_000);

    [Fact]
    public void VirtualTimeAdvancesOnlyThroughScheduledDelays()
    {
        var lane = new SimLane(_system, 0);
        var outcome = PingPong(lane, volleys: 10, delayNs: 250);
        Assert.True(outcome.Succeeded, outcome.Failure);
        Assert.Equal(2500, outcome.VirtualTimeNs);
        Assert.Equal(10, outcome.Events);
        Assert.Equal("2500:10", outcome.Result);
    }

    [Fact]
    public void ALaneRunsManyRunsOneAfterAnother()
    {
        var lane = new SimLane(_system, 0);
        for (var i = 0; i < 20; i++)
        {
            var outcome = PingPong(lane, volleys: 5, delayNs: 1);
            Assert.True(outcome.Succeeded, outcome.Failure);
            Assert.Equal(5, outcome.VirtualTimeNs);
        }
    }

    [Fact]
    public void SameSeedSameTieOrder_DifferentSeedsDifferentOrders()
    {
        var lane = new SimLane(_system, 0);
        string Order(ulong seed) => (string)lane.Run(sim => Props.Create(() => new TieRoot(sim, 16)), seed, Interleaving.Random, 1000).Result!;
        Assert.Equal(Order(7), Order(7));
        var orders = Enumerable.Range(1, 5).Select(s => Order((ulong)s)).ToHashSet();
        Assert.True(orders.Count > 1, "different seeds should order simultaneous events differently");
    }

    [Fact]
    public void FifoInterleavingKeepsSchedulingOrder()
    {
        var lane = new SimLane(_system, 0);
        var outcome = lane.Run(sim => Props.Create(() => new TieRoot(sim, 8)), 3, Interleaving.Fifo, 1000);
        Assert.Equal("0,1,2,3,4,5,6,7", outcome.Result);
    }

    [Fact]
    public async Task TwoLanesOnTwoThreadsGiveTheSameResultAsOne()
    {
        var lane0 = new SimLane(_system, 0);
        var lane1 = new SimLane(_system, 1);
        string Order(SimLane lane, ulong seed)
        {
            var outcome = lane.Run(sim => Props.Create(() => new TieRoot(sim, 32)), seed, Interleaving.Random, 1000);
            return (string?)outcome.Result ?? $"FAILED: {outcome.Failure}";
        }
        var expected = Enumerable.Range(0, 10).Select(s => Order(lane0, (ulong)s)).ToArray();
        var t0 = Task.Run(() => Enumerable.Range(0, 10).Select(s => Order(lane0, (ulong)s)).ToArray());
        var t1 = Task.Run(() => Enumerable.Range(0, 10).Select(s => Order(lane1, (ulong)s)).ToArray());
        Assert.Equal(expected, await t0);
        Assert.Equal(expected, await t1);
    }

    [Fact]
    public void AnActorFailureFailsTheRunNamingTheActorAndTheEvent()
    {
        var lane = new SimLane(_system, 0);
        var outcome = lane.Run(sim => Props.Create(() => new FailingRoot(sim)), 1, Interleaving.Random, 1000);
        Assert.False(outcome.Succeeded);
        Assert.Contains("thrower", outcome.Failure);
        Assert.Contains("invariant broken", outcome.Failure);
        Assert.Contains("String to thrower", outcome.Failure);
        // The lane is still usable afterwards.
        Assert.True(PingPong(lane, 3, 1).Succeeded);
    }

    [Fact]
    public void MessagesFromOutsideTheRunAreCaughtAndFailIt()
    {
        var lane = new SimLane(_system, 0);
        var outcome = lane.Run(sim => Props.Create(() => new LeakyRoot(sim)), 1, Interleaving.Random, 1000);
        Assert.False(outcome.Succeeded);
        Assert.Contains("another thread", outcome.Failure);
    }

    [Fact]
    public void TheEventBoundStopsARunawayRun()
    {
        var lane = new SimLane(_system, 0);
        var outcome = lane.Run(sim => Props.Create(() => new PingPongRoot(sim, 1000, 1)), 1, Interleaving.Random, 100);
        Assert.False(outcome.Succeeded);
        Assert.Contains("max-events", outcome.Failure);
    }
}
