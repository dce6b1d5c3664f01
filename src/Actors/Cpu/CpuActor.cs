using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Engine;
using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Cpu;

/// <summary>
/// One CPU: where tracepoints fire and BPF programs run, in atomic context, one after another,
/// while the task that hit the tracepoint waits; and where runnable tasks take turns
/// (<see cref="RunQueue"/>: round-robin time slices, runtime charged at scheduler ticks, which
/// also drive task_tick_numa). The tick runs only while some task is runnable (NO_HZ idle).
/// </summary>
public sealed class CpuActor : UntypedActor
{
    private readonly SimContext _sim;
    private readonly int _cpu;
    private readonly int _node;
    private readonly SchedSettings _sched;
    private readonly List<(Tracepoint Point, IActorRef Probe)> _attached = new();
    private readonly Queue<TracepointEnter> _pending = new();
    private readonly SortedDictionary<int, (IActorRef Task, IActorRef? Scanner)> _runnable = new();
    private RunQueue? _rq;
    private TracepointEnter? _running;
    private int _nextProgram;
    private bool _tickArmed;

    public CpuActor(SimContext sim, int cpu, int node, SchedSettings sched)
    {
        _sim = sim;
        _cpu = cpu;
        _node = node;
        _sched = sched;
    }

    public static Props Props(SimContext sim, int cpu, int node, SchedSettings sched) =>
        sim.Bind(SimProps.Create(() => new CpuActor(sim, cpu, node, sched)));

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case AttachProbe a:
                _attached.Add((a.Point, a.Probe));
                break;
            case TracepointEnter e when !_attached.Exists(a => a.Point == e.Point):
                // No program at this point: the tracepoint is a static branch that is not taken.
                ReturnTo(e);
                break;
            case TracepointEnter e:
                _pending.Enqueue(e);
                if (_running is null) StartNext();
                break;
            case ProbeProgramDone d when _running is not null && d.TaskId == _running.TaskId:
                RunNextProgram();
                break;
            case RunRequest r:
                Enqueue(r);
                break;
            case SchedulerTick:
                OnTick();
                break;
            default:
                _sim.Unexpected(Self, message);
                break;
        }
    }

    private void Enqueue(RunRequest r)
    {
        _rq ??= new RunQueue(SimTime.UsToNs(_sched.TimeSliceUs));
        _runnable[r.TaskId] = (r.Task, r.Scanner);
        _rq.Enqueue(r.TaskId, r.WantNs, _sim.NowNs);
        ProvenanceLog.Current?.CpuRunQueue(_cpu, _rq.Current?.TaskId ?? -1, _rq.Waiting + (_rq.IsIdle ? 0 : 1));
        ArmTick();
    }

    // Ticks fall on a fixed grid of 1/HZ, as jiffies do, whatever instant the task woke at.
    private void ArmTick()
    {
        if (_tickArmed || _rq is null || _rq.IsIdle) return;
        _tickArmed = true;
        var tick = _sched.TickNs;
        var now = _sim.NowNs;
        _sim.Schedule(tick - now % tick, Self, SchedulerTick.Instance);
    }

    private void OnTick()
    {
        _tickArmed = false;
        var t = _rq!.Tick(_sim.NowNs);
        if (t.Switched) ProvenanceLog.Current?.CpuRunQueue(_cpu, _rq.Current?.TaskId ?? -1, _rq.Waiting + (_rq.IsIdle ? 0 : 1));
        if (t.TaskId >= 0 && _runnable.TryGetValue(t.TaskId, out var who))
        {
            if (who.Scanner is not null && t.ChargedNs > 0) who.Scanner.Tell(new SchedTickCharged(t.TaskId, t.ChargedNs, _node));
            if (t.BurstDone)
            {
                _runnable.Remove(t.TaskId);
                who.Task.Tell(new RunDone(t.TaskId));
            }
        }
        ArmTick();
    }

    private void StartNext()
    {
        if (!_pending.TryDequeue(out var e)) return;
        _running = e;
        _nextProgram = 0;
        ProvenanceLog.Current?.CpuBpf(_cpu, e.TaskId, e.Point.ToName(), begin: true);
        RunNextProgram();
    }

    private void RunNextProgram()
    {
        var e = _running!;
        while (_nextProgram < _attached.Count)
        {
            var (p, probe) = _attached[_nextProgram++];
            if (p != e.Point) continue;
            probe.Tell(new TracepointHit(e.Point, e.Plan, e.TaskId, e.Mm, Self, e.MmapSem));
            return;
        }
        ReturnTo(e);
        ProvenanceLog.Current?.CpuBpf(_cpu, e.TaskId, e.Point.ToName(), begin: false);
        _running = null;
        StartNext();
    }

    private static void ReturnTo(TracepointEnter enter) => enter.Task.Tell(new TracepointReturn(enter.Point));

    public override string ToString() => $"cpu{_cpu}";

    private sealed class SchedulerTick
    {
        public static readonly SchedulerTick Instance = new();
    }
}
