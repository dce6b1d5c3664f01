using ActorKernel.Actors.Engine;
using ActorKernel.Bench.Infra;
using Akka.Actor;

namespace ActorKernel.Bench.Toy;

/// <summary>
/// The toy model on the engine: a lock actor and one actor per task. Think and hold delays go
/// through <see cref="SimContext.Schedule"/>; request, grant and release are direct tells
/// (zero-time messages through the lane's work queue). All messages are singletons: the
/// lock knows a task by its sender, the task knows its own mode.
/// </summary>
public sealed class ToyRoot : SimRootActor
{
    private readonly ToyParams _p;
    private readonly ToyChecksum _sum = new();

    public ToyRoot(SimContext sim, ToyParams p) : base(sim)
    {
        _p = p;
    }

    public static Func<SimContext, Props> Props(ToyParams p) => sim => FuncProducer<ToyRoot>.Props(() => new ToyRoot(sim, p));

    protected override void PreStart()
    {
        base.PreStart();
        var sim = Sim;
        var p = _p;
        var sum = _sum;
        var lockRef = Context.ActorOf(sim.Bind(FuncProducer<LockActor>.Props(() => new LockActor())), "lock");
        for (var t = 0; t < p.Tasks; t++)
        {
            var id = t;
            var rng = p.RandomFor(sim.Seed, id);
            var task = Context.ActorOf(sim.Bind(FuncProducer<TaskActor>.Props(() => new TaskActor(sim, p, id, rng, lockRef, sum))), "task-" + id);
            sim.Schedule(p.ThinkNs(rng), task, ThinkDone.Instance, task);
        }
    }

    protected override void OnRootMessage(object message)
    {
        if (message is RunIdle) Sim.Complete(new ToyResult(_sum.Value, _sum.Records, Sim.EventsDelivered, Sim.NowNs));
    }

    public sealed class ThinkDone
    {
        public static readonly ThinkDone Instance = new();
    }

    public sealed class HoldDone
    {
        public static readonly HoldDone Instance = new();
    }

    public sealed class Granted
    {
        public static readonly Granted Instance = new();
    }

    private sealed class Request
    {
        public static readonly Request Read = new(false);
        public static readonly Request Write = new(true);

        private Request(bool write) => IsWrite = write;

        public bool IsWrite { get; }
    }

    private sealed class Release
    {
        public static readonly Release Read = new(false);
        public static readonly Release Write = new(true);

        private Release(bool write) => IsWrite = write;

        public bool IsWrite { get; }
    }

    private sealed class LockActor : UntypedActor
    {
        private readonly ToyRwLock<IActorRef> _lock = new();
        private readonly List<(IActorRef Who, bool Write)> _granted = new(64);

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case Request req:
                    if (_lock.Acquire(Sender, req.IsWrite)) Sender.Tell(Granted.Instance, Self);
                    break;
                case Release rel:
                    _granted.Clear();
                    _lock.Release(rel.IsWrite, _granted);
                    foreach (var (who, _) in _granted) who.Tell(Granted.Instance, Self);
                    break;
            }
        }
    }

    private sealed class TaskActor : UntypedActor
    {
        private readonly SimContext _sim;
        private readonly ToyParams _p;
        private readonly int _id;
        private readonly SimRandom _rng;
        private readonly IActorRef _lock;
        private readonly ToyChecksum _sum;
        private bool _write;

        public TaskActor(SimContext sim, ToyParams p, int id, SimRandom rng, IActorRef lockRef, ToyChecksum sum)
        {
            _sim = sim;
            _p = p;
            _id = id;
            _rng = rng;
            _lock = lockRef;
            _sum = sum;
        }

        protected override void OnReceive(object message)
        {
            var now = _sim.NowNs;
            switch (message)
            {
                case ThinkDone:
                    _write = _p.WantsWrite(_rng);
                    _sum.Add(now, _id, _write ? ToyEvent.RequestWrite : ToyEvent.RequestRead);
                    _lock.Tell(_write ? Request.Write : Request.Read, Self);
                    break;
                case Granted:
                    _sum.Add(now, _id, _write ? ToyEvent.GrantedWrite : ToyEvent.GrantedRead);
                    _sim.Schedule(_p.HoldNs(_rng), Self, HoldDone.Instance, Self);
                    break;
                case HoldDone:
                    _sum.Add(now, _id, _write ? ToyEvent.ReleasedWrite : ToyEvent.ReleasedRead);
                    _lock.Tell(_write ? Release.Write : Release.Read, Self);
                    if (now < _p.HorizonNs) _sim.Schedule(_p.ThinkNs(_rng), Self, ThinkDone.Instance, Self);
                    break;
            }
        }
    }
}

/// <summary>Runs the toy model on a lane.</summary>
public static class ActorToyModel
{
    public static ToyResult Run(SimLane lane, ToyParams p, ulong seed)
    {
        var outcome = lane.Run(ToyRoot.Props(p), seed, Interleaving.Fifo, long.MaxValue);
        if (!outcome.Succeeded) throw new InvalidOperationException($"toy run failed: {outcome.Failure}");
        return (ToyResult)outcome.Result!;
    }
}
