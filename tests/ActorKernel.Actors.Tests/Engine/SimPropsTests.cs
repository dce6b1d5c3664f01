using ActorKernel.Actors.Engine;
using Akka.Actor;

namespace ActorKernel.Actors.Tests.Engine;

/// <summary>
/// SimContext.Bind puts an actor on its lane's dispatcher and mailbox: SimProps in one step, other Props
/// through Akka's WithDispatcher and WithMailbox. Both kinds must run on the lane.
/// </summary>
public sealed class SimPropsTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("sim-props-tests");

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Bind_RunsTheChildOnTheLanesDispatcherAndMailbox(bool simProps)
    {
        var lane = new SimLane(_system, 3);
        var outcome = lane.Run(sim => Props.Create(() => new DeployRoot(sim, simProps)), 1, Interleaving.Random, 1_000);

        Assert.True(outcome.Succeeded, outcome.Failure);
        Assert.Equal($"{lane.DispatcherId}|{lane.DispatcherId}|made by the factory|after 5 ns", outcome.Result);
    }

    private sealed class DeployRoot : SimRootActor
    {
        private readonly bool _simProps;

        public DeployRoot(SimContext sim, bool simProps) : base(sim)
        {
            _simProps = simProps;
        }

        protected override void PreStart()
        {
            base.PreStart();
            var props = _simProps
                ? SimProps.Create(() => new Reporter(Sim, "made by the factory"))
                : Props.Create(() => new Reporter(Sim, "made by the factory"));
            Context.ActorOf(Sim.Bind(props), "reporter").Tell("report");
        }

        protected override void OnRootMessage(object message)
        {
            if (message is string report) Sim.Complete($"{report}|after {Sim.NowNs} ns");
        }
    }

    private sealed class Reporter : UntypedActor
    {
        private readonly SimContext _sim;
        private readonly string _origin;

        public Reporter(SimContext sim, string origin)
        {
            _sim = sim;
            _origin = origin;
        }

        protected override void OnReceive(object message) =>
            _sim.Schedule(5, Sender, $"{Context.Props.Dispatcher}|{Context.Props.Mailbox}|{_origin}", Self);
    }
}
