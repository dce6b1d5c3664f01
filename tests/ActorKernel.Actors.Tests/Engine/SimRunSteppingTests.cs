using ActorKernel.Actors.Engine;
using Akka.Actor;

namespace ActorKernel.Actors.Tests.Engine;

public sealed class SimRunSteppingTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("stepping-tests");

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    private SimRun Start(SimLane lane) =>
        lane.Start(sim => Props.Create(() => new PingPongRoot(sim, 10, 100)), 1, Interleaving.Random, 10_000);

    [Fact]
    public void RunUntilTime_DeliversOnlyEventsDue_ThenSetsTheClock()
    {
        var lane = new SimLane(_system, 0);
        using var run = Start(lane);
        Assert.True(run.RunUntilTime(450));
        Assert.Equal(450, run.Context.NowNs);
        Assert.Equal(4, run.Context.EventsDelivered);
        Assert.True(run.Advance(100));
        Assert.Equal(5, run.Context.EventsDelivered);
        var outcome = run.Finish();
        Assert.True(outcome.Succeeded, outcome.Failure);
        Assert.Equal(1000, outcome.VirtualTimeNs);
    }

    [Fact]
    public void RunUntil_PausesWhenTheConditionHolds_AndTheRunResumes()
    {
        var lane = new SimLane(_system, 0);
        using var run = Start(lane);
        Assert.True(run.RunUntil(() => run.Context.NowNs >= 700));
        Assert.Equal(700, run.Context.NowNs);
        Assert.Equal("1000:10", run.Finish().Result);
    }

    [Fact]
    public void APausedRunMustBeDrivenByItsOwnThread()
    {
        var lane = new SimLane(_system, 0);
        using var run = Start(lane);
        Exception? error = null;
        var other = new Thread(() => error = Record.Exception(() => run.RunUntilTime(100)));
        other.Start();
        other.Join();
        Assert.IsType<InvalidOperationException>(error);
    }

    [Fact]
    public void AnAbandonedRunFreesTheLane()
    {
        var lane = new SimLane(_system, 0);
        using (var run = Start(lane)) run.RunUntilTime(200);
        Assert.True(lane.Run(sim => Props.Create(() => new PingPongRoot(sim, 2, 1)), 1, Interleaving.Random, 100).Succeeded);
    }

    [Fact]
    public void PublishedObservationsReachTheInRunObserverInOrder()
    {
        var lane = new SimLane(_system, 0);
        var seen = new List<object>();
        using var run = lane.Start(sim => Props.Create(() => new PublishingRoot(sim)), 1, Interleaving.Fifo, 100);
        run.Context.Observer = seen.Add;
        run.Finish();
        Assert.Equal(new object[] { "first@10", "second@20" }, seen);
    }

    private sealed class PublishingRoot : SimRootActor
    {
        public PublishingRoot(SimContext sim) : base(sim)
        {
        }

        protected override void PreStart()
        {
            base.PreStart();
            Sim.Schedule(10, Self, "first");
            Sim.Schedule(20, Self, "second");
        }

        protected override void OnRootMessage(object message)
        {
            if (message is not string s) return;
            Sim.Publish($"{s}@{Sim.NowNs}");
            if (s == "second") Sim.Complete(null);
        }
    }
}
