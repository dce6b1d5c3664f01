using ActorKernel.Actors.Engine;
using Akka.Actor;
using Akka.TestKit.Xunit2;

namespace ActorKernel.Actors.Tests.Engine;

/// <summary>SimContext.Unexpected: the one place where a sim actor's unhandled message fails the run.</summary>
public sealed class UnexpectedMessageTests : TestKit
{
    private sealed record Stray(int Value);

    [Fact]
    public void AnUnexpectedMessage_FailsTheRun_NamingTheActorTheMessageTheTimeAndTheSeed()
    {
        using var h = SimHarness.Start(Sys, CreateTestProbe().Ref,
            sim => sim.Bind(Props.Create(() => new Strict(sim))), seed: 42);
        h.Advance(1_500);

        h.Send(new Stray(7));

        var failure = h.Sim.Failure;
        Assert.NotNull(failure);
        Assert.Contains("under-test", failure);
        Assert.Contains("Stray { Value = 7 }", failure);
        Assert.Contains("seed 42", failure);
        Assert.Contains("at 1500 ns", failure);
        Assert.True(h.Run.IsCompleted);
    }

    [Fact]
    public void AMessageTheRootsParentReceives_FailsTheRunInsteadOfVanishing()
    {
        var lane = new SimLane(Sys, 0);
        var outcome = lane.Run(sim => Props.Create(() => new TellsParent(sim)), 3, Interleaving.Fifo, 100);
        Assert.False(outcome.Succeeded);
        Assert.Contains("sim-lane-0 received an unexpected String: hello", outcome.Failure);
    }

    private sealed class Strict : UntypedActor
    {
        private readonly SimContext _sim;

        public Strict(SimContext sim)
        {
            _sim = sim;
        }

        protected override void OnReceive(object message) => _sim.Unexpected(Self, message);
    }

    private sealed class TellsParent : SimRootActor
    {
        public TellsParent(SimContext sim) : base(sim)
        {
        }

        protected override void PreStart()
        {
            base.PreStart();
            Context.Parent.Tell("hello");
        }

        protected override void OnRootMessage(object message)
        {
        }
    }
}
