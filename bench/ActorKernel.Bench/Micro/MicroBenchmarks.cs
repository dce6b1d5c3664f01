using ActorKernel.Actors.Engine;
using ActorKernel.Bench.Infra;
using ActorKernel.Model;
using Akka.Actor;
using BenchmarkDotNet.Attributes;

namespace ActorKernel.Bench.Micro;

public class SimRandomBench
{
    private readonly SimRandom _r = new(12345);

    [Benchmark]
    public ulong NextUInt64() => _r.NextUInt64();

    [Benchmark]
    public long NextLong() => _r.NextLong(1_000_000);
}

/// <summary>
/// The timed queue through its public path: a run that schedules <see cref="Events"/> events
/// at random instants and delivers them all (enqueue + dequeue + one mailbox run each).
/// Per-event figures: run set-up is amortised over the events.
/// </summary>
public class TimedQueueBench
{
    public const int Events = 100_000;
    private SimLane _lane = null!;

    [Params(Interleaving.Fifo, Interleaving.Random)]
    public Interleaving Interleaving { get; set; }

    [GlobalSetup]
    public void Setup() => _lane = BenchEnv.Lane(8);

    [Benchmark(OperationsPerInvoke = Events)]
    public long ScheduleAndDeliver()
    {
        var o = _lane.Run(BurstRoot.Props(Events), 1, Interleaving, long.MaxValue);
        if (!o.Succeeded) throw new InvalidOperationException(o.Failure);
        return o.Events;
    }

    public sealed class BurstRoot : SimRootActor
    {
        private static readonly object Tick = new();
        private readonly int _n;
        private int _seen;

        public BurstRoot(SimContext sim, int n) : base(sim) => _n = n;

        public static Func<SimContext, Props> Props(int n) => sim => FuncProducer<BurstRoot>.Props(() => new BurstRoot(sim, n));

        protected override void PreStart()
        {
            base.PreStart();
            var rng = Sim.RandomFor("burst");
            for (var i = 0; i < _n; i++) Sim.Schedule(rng.NextLong(1_000_000), Self, Tick, Self);
        }

        protected override void OnRootMessage(object message)
        {
            if (ReferenceEquals(message, Tick) && ++_seen == _n) Sim.Complete(null);
        }
    }
}

/// <summary>The model's hot paths on a typical populated process image.</summary>
public class ModelBench
{
    private ProcessImage _image = null!;
    private AddressSpace _mm = null!;
    private ulong _heapAddr, _crossAddr, _rodataAddr, _textAddr;
    private Vma[] _vmas = [];
    private KernelProfile _profile = null!;
    private RwSemaphore _sem = null!;
    private long _now;

    [GlobalSetup]
    public void Setup()
    {
        var layout = new ImageLayout();
        _image = ProcessImage.Build(1, layout, new FileObject("prog", layout.ProgFilePages), new FileObject("libc", layout.LibcFilePages));
        _image.PopulateTypical();
        _mm = _image.Mm;
        _heapAddr = _image.RegionOf(RegionKind.Heap).Addr(3, 128);
        _crossAddr = _image.RegionOf(RegionKind.Stack).Addr(4, Pages.Size - 16);
        _rodataAddr = _image.RegionOf(RegionKind.Rodata).Addr(2, 64);
        _textAddr = _image.RegionOf(RegionKind.LibcText).Addr(100, 0);
        _vmas = _image.Regions.Select(r => r.Vma).ToArray();
        _profile = new KernelProfile { Name = "bench", HugetlbCopiedAtFork = true, UffdWpForcesCopy = true };
        _sem = new RwSemaphore();
    }

    [Benchmark]
    public ProbeReadResult ProbeWalk_PresentOnePage() => ProbeRead.Walk(_mm, _heapAddr, 64);

    [Benchmark]
    public ProbeReadResult ProbeWalk_PresentTwoPages() => ProbeRead.Walk(_mm, _crossAddr, 64);

    [Benchmark]
    public ProbeReadResult ProbeWalk_NotMapped() => ProbeRead.Walk(_mm, _rodataAddr, 64);

    [Benchmark(OperationsPerInvoke = 16)]
    public int VmaNeedsCopy_AllVmas()
    {
        var n = 0;
        for (var rep = 0; rep < 16; rep++)
            foreach (var v in _vmas)
                if (ForkModel.VmaNeedsCopy(v, _profile)) n++;
        return n;
    }

    [Benchmark]
    public int RwSemaphore_ReadAcquireRelease()
    {
        var t = new SimTime(_now += 10);
        _sem.AcquireRead(1, t);
        return _sem.ReleaseRead(1, t).Count;
    }

    [Benchmark]
    public int RwSemaphore_WriteAcquireRelease()
    {
        var t = new SimTime(_now += 10);
        _sem.AcquireWrite(1, t);
        return _sem.ReleaseWrite(1, t).Count;
    }

    [Benchmark]
    public FaultClass FaultClassify_ReadPresent() => FaultModel.Classify(_mm, _heapAddr, AccessKind.Read);

    [Benchmark]
    public FaultClass FaultClassify_WriteReadOnlyText() => FaultModel.Classify(_mm, _textAddr, AccessKind.Write);

    [Benchmark]
    public FaultClass FaultClassify_ReadNotMapped() => FaultModel.Classify(_mm, _rodataAddr, AccessKind.Read);
}

/// <summary>
/// Two pieces of the engine's per-event path as it was before they were cut, replicated (the originals are
/// internal) so the cuts stay measurable: the diagnostic string the driver used to format for every timed
/// event (now formatted only on failure), and the heap operation as a <see cref="PriorityQueue{TElement, TPriority}"/>
/// with references in its nodes (TimedQueue's nodes now hold the key and a slot index only).
/// </summary>
public class EnginePartsBench
{
    private static readonly Lazy<IActorRef> Target = new(() =>
        BenchEnv.System.ActorOf(FuncProducer<Sections.ParallelSection.Idle>.Props(() => new Sections.ParallelSection.Idle(0)), "task-12"));

    private readonly object _message = new Engine.Rally();
    private IActorRef _target = ActorRefs.Nobody;
    private readonly PriorityQueue<(IActorRef, object, IActorRef?), ReplicaKey> _heap = new(256);
    private long _seq;

    public readonly record struct ReplicaKey(long TimeNs, ulong Tiebreak, long Seq) : IComparable<ReplicaKey>
    {
        public int CompareTo(ReplicaKey other)
        {
            var c = TimeNs.CompareTo(other.TimeNs);
            if (c != 0) return c;
            c = Tiebreak.CompareTo(other.Tiebreak);
            return c != 0 ? c : Seq.CompareTo(other.Seq);
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        _target = Target.Value;
        var r = new SimRandom(3);
        for (var i = 0; i < 64; i++) _heap.Enqueue((_target, _message, null), new ReplicaKey(r.NextLong(1_000_000), 0, _seq++));
    }

    /// <summary>SimLane.Drive: <c>ctx.CurrentEvent = $"{ev.Message.GetType().Name} to {ev.Target.Path.Name}"</c>.</summary>
    [Benchmark]
    public string CurrentEventFormat() => $"{_message.GetType().Name} to {_target.Path.Name}";

    /// <summary>One dequeue + one enqueue on a 64-entry heap (the toy model's steady state).</summary>
    [Benchmark]
    public long HeapDequeueEnqueue64()
    {
        _heap.TryDequeue(out var ev, out var key);
        _heap.Enqueue(ev, new ReplicaKey(key.TimeNs + 1000 + (_seq & 1023), 0, _seq++));
        return key.TimeNs;
    }
}
