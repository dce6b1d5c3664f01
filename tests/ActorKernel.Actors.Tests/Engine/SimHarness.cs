using ActorKernel.Actors.Engine;
using Akka.Actor;

namespace ActorKernel.Actors.Tests.Engine;

/// <summary>
/// One sim actor under test on a lane of its own, driven by the test's thread: what the test
/// tells it enters the run (the test thread is the lane's driver), replies go to Akka.TestKit
/// probes (their calling-thread dispatcher takes them inline), and what the actor sends its
/// parent reaches <c>parent</c>, a probe standing in for the machine.
/// </summary>
internal sealed class SimHarness : IDisposable
{
    private SimHarness(SimRun run, IActorRef actor)
    {
        Run = run;
        Actor = actor;
    }

    public SimRun Run { get; }

    public SimContext Sim => Run.Context;

    /// <summary>The actor under test, named "under-test", a child of the run's root.</summary>
    public IActorRef Actor { get; }

    /// <summary>Start a run whose root creates the actor from <paramref name="props"/> and forwards its parent's mail to <paramref name="parent"/>.</summary>
    public static SimHarness Start(ActorSystem system, IActorRef parent, Func<SimContext, Props> props, ulong seed = 1)
    {
        var lane = new SimLane(system, 0);
        IActorRef? actor = null;
        Action<IActorRef> created = a => actor = a;
        var run = lane.Start(sim => SimProps.Create(() => new Root(sim, props, parent, created)), seed, Interleaving.Fifo, 1_000_000);
        run.Drain();
        return new SimHarness(run, actor ?? throw new InvalidOperationException("the harness root did not create the actor"));
    }

    /// <summary>Tell the actor <paramref name="message"/> and process everything it sends without advancing virtual time.</summary>
    public void Send(object message, IActorRef? sender = null)
    {
        Actor.Tell(message, sender ?? ActorRefs.NoSender);
        Run.Drain();
    }

    /// <summary>Tell <paramref name="target"/> (an actor of the run) <paramref name="message"/>, then drain.</summary>
    public void SendTo(IActorRef target, object message)
    {
        target.Tell(message);
        Run.Drain();
    }

    /// <summary>Deliver what is due within <paramref name="durationNs"/> of virtual time.</summary>
    public void Advance(long durationNs) => Run.Advance(durationNs);

    public void Dispose() => Run.Dispose();

    /// <summary>Everything <paramref name="probe"/> has received so far of type <typeparamref name="T"/> (others are dropped).</summary>
    public static IReadOnlyList<T> Received<T>(Akka.TestKit.TestProbe probe) =>
        probe.ReceiveWhile<object>(TimeSpan.FromMilliseconds(300), m => m).OfType<T>().ToArray();

    private sealed class Root : SimRootActor
    {
        private readonly Func<SimContext, Props> _props;
        private readonly IActorRef _parent;
        private readonly Action<IActorRef> _created;

        public Root(SimContext sim, Func<SimContext, Props> props, IActorRef parent, Action<IActorRef> created) : base(sim)
        {
            _props = props;
            _parent = parent;
            _created = created;
        }

        protected override void PreStart()
        {
            base.PreStart();
            _created(Context.ActorOf(_props(Sim), "under-test"));
        }

        protected override void OnRootMessage(object message)
        {
            if (message is not RunIdle) _parent.Tell(message);
        }
    }
}
