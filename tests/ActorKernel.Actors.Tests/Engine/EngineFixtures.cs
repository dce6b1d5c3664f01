using ActorKernel.Actors.Engine;
using Akka.Actor;

namespace ActorKernel.Actors.Tests.Engine;

/// <summary>Two actors volleying a counter with a virtual delay; the root completes with the trace.</summary>
internal sealed class PingPongRoot : SimRootActor
{
    private readonly int _volleys;
    private readonly long _delayNs;
    private readonly List<string> _trace = new();

    public PingPongRoot(SimContext sim, int volleys, long delayNs) : base(sim)
    {
        _volleys = volleys;
        _delayNs = delayNs;
    }

    protected override void PreStart()
    {
        base.PreStart();
        var a = Context.ActorOf(Sim.Bind(Props.Create(() => new Player(Sim, _delayNs))), "a");
        var b = Context.ActorOf(Sim.Bind(Props.Create(() => new Player(Sim, _delayNs))), "b");
        a.Tell(new Ball(0, _volleys, Self), b);
    }

    protected override void OnRootMessage(object message)
    {
        switch (message)
        {
            case Ball ball:
                _trace.Add($"{Sim.NowNs}:{ball.Count}");
                Sim.Complete(string.Join(",", _trace));
                break;
        }
    }

    internal sealed record Ball(int Count, int Limit, IActorRef Root);

    private sealed class Player : UntypedActor
    {
        private readonly SimContext _sim;
        private readonly long _delayNs;

        public Player(SimContext sim, long delayNs)
        {
            _sim = sim;
            _delayNs = delayNs;
        }

        protected override void OnReceive(object message)
        {
            var ball = (Ball)message;
            if (ball.Count >= ball.Limit) ball.Root.Tell(ball);
            else _sim.Schedule(_delayNs, Sender, ball with { Count = ball.Count + 1 }, Self);
        }
    }
}

/// <summary>N senders each schedule one event at the same instant; the root records arrival order.</summary>
internal sealed class TieRoot : SimRootActor
{
    private readonly int _senders;
    private readonly List<int> _order = new();

    public TieRoot(SimContext sim, int senders) : base(sim)
    {
        _senders = senders;
    }

    protected override void PreStart()
    {
        base.PreStart();
        for (var i = 0; i < _senders; i++) Sim.Schedule(1000, Self, i);
    }

    protected override void OnRootMessage(object message)
    {
        if (message is int i)
        {
            _order.Add(i);
            if (_order.Count == _senders) Sim.Complete(string.Join(",", _order));
        }
    }
}

/// <summary>A child that throws on its first message.</summary>
internal sealed class FailingRoot : SimRootActor
{
    public FailingRoot(SimContext sim) : base(sim)
    {
    }

    protected override void PreStart()
    {
        base.PreStart();
        var child = Context.ActorOf(Sim.Bind(Props.Create(() => new Thrower())), "thrower");
        Sim.Schedule(500, child, "boom");
    }

    protected override void OnRootMessage(object message)
    {
    }

    private sealed class Thrower : UntypedActor
    {
        protected override void OnReceive(object message) => throw new InvalidOperationException("invariant broken");
    }
}

/// <summary>Creates a child without the run's dispatcher: its messages arrive from the thread pool.</summary>
internal sealed class LeakyRoot : SimRootActor
{
    // Set by the unbound echo once its reply is in the run, so that the root waits for that event,
    // not for a guessed wall-clock time.
    private readonly ManualResetEventSlim _replied = new();

    public LeakyRoot(SimContext sim) : base(sim)
    {
    }

    protected override void PreStart()
    {
        base.PreStart();
        // The reply goes to a bound actor that is idle, so the pool thread's send schedules its mailbox
        // from outside the run (a reply to the root could land while the root's own mailbox is running).
        var sink = Context.ActorOf(Sim.Bind(Props.Create(() => new Sink())), "sink");
        var child = Context.ActorOf(Props.Create(() => new Echo(sink, _replied)), "unbound");
        child.Tell("ping");
        Sim.Schedule(10, Self, "tick");
    }

    protected override void OnRootMessage(object message)
    {
        if (message is "tick")
        {
            // A watchdog bound only: the echo replies within microseconds.
            _replied.Wait(TimeSpan.FromSeconds(30));
            Sim.Schedule(10, Self, "done");
        }
        if (message is "done") Sim.Complete(_replied.IsSet ? 1 : 0);
    }

    private sealed class Echo(IActorRef sink, ManualResetEventSlim replied) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            sink.Tell("pong");
            replied.Set();
        }
    }

    private sealed class Sink : UntypedActor
    {
        protected override void OnReceive(object message)
        {
        }
    }
}
