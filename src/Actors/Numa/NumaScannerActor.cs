using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Cpu;
using ActorKernel.Actors.Engine;
using ActorKernel.Actors.Locking;
using ActorKernel.Actors.Memory;
using ActorKernel.Actors.Metrics;
using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Numa;

/// <summary>
/// Automatic NUMA balancing for one mm (kernel/sched/fair.c): holds each thread's NUMA fields
/// (<see cref="TaskNumaState"/>) and the mm's numa_next_scan; the CPU's tick charges a running
/// thread's runtime here (task_tick_numa); the thread that wins numa_next_scan runs
/// task_numa_work(): mmap_read_trylock (a blocking down_read on profiles without
/// numa-scan-trylock), then chunk by chunk on the <see cref="MmActor"/>, each chunk taking virtual
/// time with the read lock held. Hint faults come back from the mm (task_numa_fault) and adapt
/// the scan period. The rules live in the model; this actor only sequences them.
/// </summary>
public sealed class NumaScannerActor : UntypedActor
{
    private readonly SimContext _sim;
    private readonly ActorKernelSettings _settings;
    private readonly int _mmId;
    private readonly IActorRef _mm;
    private readonly IActorRef _sem;
    private readonly IActorRef _metrics;
    private readonly int _threads;
    private readonly SortedDictionary<int, TaskNumaState> _tasks = new();
    private long _nextScanNs;
    private bool _passRunning;
    private int _passTask, _passNode, _passPtes, _passSeq;
    private long _passStartNs;

    public NumaScannerActor(SimContext sim, ActorKernelSettings settings, int mmId, IActorRef mm, IActorRef sem, IActorRef metrics, int threads)
    {
        _sim = sim;
        _settings = settings;
        _mmId = mmId;
        _mm = mm;
        _sem = sem;
        _metrics = metrics;
        _threads = threads;
        // init_numa_balancing() for a new mm: the first scan is due scan_delay from now.
        _nextScanNs = sim.NowNs + SimTime.MsToNs(settings.NumaBalancing.Params.ScanDelayMs);
    }

    public static Props Props(SimContext sim, ActorKernelSettings settings, int mmId, IActorRef mm, IActorRef sem, IActorRef metrics, int threads) =>
        sim.Bind(SimProps.Create(() => new NumaScannerActor(sim, settings, mmId, mm, sem, metrics, threads)));

    private long Owner => LockOwners.NumaScanner(_mmId);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case SchedTickCharged t:
                if (Task(t.TaskId).TaskTickNuma(t.ChargedNs, _sim.NowNs, _nextScanNs)) TaskNumaWork(t.TaskId, t.CpuNode);
                break;
            case NumaHintFaulted f:
            {
                var next = Task(f.TaskId).TaskNumaFault(f.MmScanSeq, f.Local, f.Private, migrateFailed: false, pages: 1, _sim.NowNs);
                if (next is { } n) _nextScanNs = n;
                break;
            }
            case TryLockResult r when r.Owner == Owner:
                if (r.Acquired) _mm.Tell(new NumaScanBegin(_passTask, _passNode, _threads, Self));
                else EndPass(skippedLockBusy: true);
                break;
            case LockGranted g when g.Owner == Owner:
                _mm.Tell(new NumaScanBegin(_passTask, _passNode, _threads, Self));
                break;
            case NumaScanReady r:
                _passSeq = r.ScanSeq;
                _mm.Tell(new NumaScanNext(Self));
                break;
            case NumaScanStepped s:
                OnStepped(s.Chunk);
                break;
            case StepDue:
                _mm.Tell(new NumaScanNext(Self));
                break;
            case PassDue:
                _sem.Tell(new ReleaseRead(Owner));
                EndPass(skippedLockBusy: false);
                break;
            default:
                _sim.Unexpected(Self, message);
                break;
        }
    }

    private TaskNumaState Task(int taskId)
    {
        if (!_tasks.TryGetValue(taskId, out var t)) _tasks.Add(taskId, t = new TaskNumaState(_settings.NumaBalancing.Params));
        return t;
    }

    // task_numa_work(): "one thread per mm wins each period" — the cmpxchg on numa_next_scan.
    // A pass still running (its lock wait on 4.14, or its chunks) makes a new one wait for the next period.
    private void TaskNumaWork(int taskId, int cpuNode)
    {
        if (_sim.NowNs < _nextScanNs || _passRunning) return;
        _nextScanNs = Task(taskId).WonScan(_sim.NowNs, _settings.Sched.TickNs);
        _passRunning = true;
        _passTask = taskId;
        _passNode = cpuNode;
        _passPtes = 0;
        _passStartNs = _sim.NowNs;
        if (_settings.Kernel.Profile.NumaScanTrylock) _sem.Tell(new TryAcquireRead(Owner, Self));
        else _sem.Tell(new AcquireRead(Owner, Self));
    }

    private void OnStepped(NumaScanChunk c)
    {
        _passPtes += c.PtesUpdated;
        var costs = _settings.NumaCosts;
        var stepNs = (c.VmaName.Length == 0 ? 0 : costs.ScanChunkNs) + costs.ScanPteNs * c.PtesUpdated;
        _sim.Schedule(stepNs, Self, c.Done ? PassDue.Instance : StepDue.Instance);
    }

    private void EndPass(bool skippedLockBusy)
    {
        _passRunning = false;
        _metrics.Tell(new NumaScanPassFinished(_passStartNs, _sim.NowNs, _mmId, _passTask, _passPtes, _passSeq, skippedLockBusy));
    }

    private sealed class StepDue
    {
        public static readonly StepDue Instance = new();
    }

    private sealed class PassDue
    {
        public static readonly PassDue Instance = new();
    }
}
