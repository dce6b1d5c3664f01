using ActorKernel.Actors.Engine;
using Akka.Actor;

namespace ActorKernel.Bench.Planted;

/// <summary>
/// A planted bug for measuring the exploration strategies (bench section "explore", and the engine's
/// shrinking tests, which compile this file too): an rw_semaphore without writer hand-off. A stream
/// of readers each hold the lock for one period; reader i+1 arrives at the very instant reader i
/// leaves. A writer arrives in the first period. In kernel/locking/rwsem.c a reader never jumps a
/// waiting writer (rwsem_down_read_slowpath queues it behind), so the writer gets the lock when the
/// readers in front drain. The planted variant admits new readers while a writer waits: whenever the
/// next reader's arrival runs before the current reader's release at their common instant, the
/// readers never drain and the writer waits another period. The writer starves for K periods only if
/// that order wins K ties in a row: random finds it with probability 2^-K, pct with about 1/2
/// (the arrivals actor outranks the lock).
/// </summary>
public sealed class PlantedRwsemRoot : SimRootActor
{
    /// <summary>One reader's hold, and the time between arrivals.</summary>
    public const long PeriodNs = 1000;

    private readonly bool _handoff;
    private readonly int _readers;

    public PlantedRwsemRoot(SimContext sim, bool handoff, int readers) : base(sim)
    {
        _handoff = handoff;
        _readers = readers;
    }

    /// <summary>The run's root: the planted variant with <paramref name="handoff"/> off.</summary>
    public static Func<SimContext, Props> Props(bool handoff, int readers) =>
        sim => SimProps.Create(() => new PlantedRwsemRoot(sim, handoff, readers));

    /// <summary>How long the writer waited, in ns (the run's result).</summary>
    public sealed record Outcome(long WriterWaitNs);

    protected override void PreStart()
    {
        base.PreStart();
        var sim = Sim;
        var (handoff, readers, root) = (_handoff, _readers, Self);
        var lockRef = Context.ActorOf(Sim.Bind(SimProps.Create(() => new RwsemLock(sim, handoff, root))), "lock");
        var arrivals = Context.ActorOf(Sim.Bind(SimProps.Create(() => new ReaderArrivals(sim, lockRef, readers))), "arrivals");
        Sim.Schedule(0, arrivals, ReaderArrivals.Next.Instance);
        Sim.Schedule(PeriodNs / 2, lockRef, RwsemLock.WriterArrives.Instance);
    }

    protected override void OnRootMessage(object message)
    {
        switch (message)
        {
            case Outcome o:
                Sim.Complete(o);
                break;
            case RunIdle:
                Sim.Fail("the writer never got the lock");
                break;
        }
    }

    private sealed class ReaderArrivals : UntypedActor
    {
        private readonly SimContext _sim;
        private readonly IActorRef _lock;
        private readonly int _readers;
        private int _arrived;

        public ReaderArrivals(SimContext sim, IActorRef lockRef, int readers)
        {
            _sim = sim;
            _lock = lockRef;
            _readers = readers;
        }

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case Next:
                    _arrived++;
                    _lock.Tell(RwsemLock.ReaderArrives.Instance, Self);
                    break;
                // The next arrival is scheduled once the lock has scheduled this reader's release, so at
                // their common instant scheduling order runs the release first: the correct order.
                case RwsemLock.Admitted:
                    if (_arrived < _readers) _sim.Schedule(PeriodNs, Self, Next.Instance);
                    break;
                default:
                    _sim.Unexpected(Self, message);
                    break;
            }
        }

        public sealed class Next
        {
            public static readonly Next Instance = new();
        }
    }

    private sealed class RwsemLock : UntypedActor
    {
        private readonly SimContext _sim;
        private readonly bool _handoff;
        private readonly IActorRef _root;
        private readonly Queue<IActorRef> _queuedReaders = new();
        private int _readers;
        private long? _writerSinceNs;
        private bool _writerHolds;

        public RwsemLock(SimContext sim, bool handoff, IActorRef root)
        {
            _sim = sim;
            _handoff = handoff;
            _root = root;
        }

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case ReaderArrives:
                    // The planted bug: without hand-off a reader is admitted although a writer waits.
                    if (_writerHolds || (_handoff && _writerSinceNs is not null)) _queuedReaders.Enqueue(Sender);
                    else Admit(Sender);
                    break;
                case ReaderLeaves:
                    _readers--;
                    TryGrantWriter();
                    break;
                case WriterArrives:
                    _writerSinceNs = _sim.NowNs;
                    TryGrantWriter();
                    break;
                default:
                    _sim.Unexpected(Self, message);
                    break;
            }
        }

        private void Admit(IActorRef arrivals)
        {
            _readers++;
            _sim.Schedule(PeriodNs, Self, ReaderLeaves.Instance);
            arrivals.Tell(Admitted.Instance);
        }

        private void TryGrantWriter()
        {
            if (_readers > 0 || _writerSinceNs is not { } since || _writerHolds) return;
            _writerHolds = true;
            _root.Tell(new Outcome(_sim.NowNs - since));
        }

        public sealed class ReaderArrives
        {
            public static readonly ReaderArrives Instance = new();
        }

        public sealed class ReaderLeaves
        {
            public static readonly ReaderLeaves Instance = new();
        }

        public sealed class WriterArrives
        {
            public static readonly WriterArrives Instance = new();
        }

        public sealed class Admitted
        {
            public static readonly Admitted Instance = new();
        }
    }
}
