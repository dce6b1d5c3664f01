using ActorKernel.Actors.Engine;
using Akka.Actor;

namespace ActorKernel.Actors.Cpu;

/// <summary>
/// One CPU: where tracepoints fire and BPF programs run, in atomic context, one after
/// another, while the task that hit the tracepoint waits. Tasks are bound to a CPU when
/// created; time slicing and run queues are not modelled in this release (docs/concepts.md).
/// </summary>
public sealed class CpuActor : UntypedActor
{
    private readonly int _cpu;
    private readonly List<(Tracepoint Point, IActorRef Probe)> _attached = new();
    private readonly Queue<TracepointEnter> _pending = new();
    private TracepointEnter? _running;
    private int _nextProgram;

    public CpuActor(int cpu)
    {
        _cpu = cpu;
    }

    public static Props Props(SimContext sim, int cpu) => sim.Bind(Akka.Actor.Props.Create(() => new CpuActor(cpu)));

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case AttachProbe a:
                _attached.Add((a.Point, a.Probe));
                break;
            case TracepointEnter e when !_attached.Exists(a => a.Point == e.Point):
                // No program at this point: the tracepoint is a static branch that is not taken.
                e.Task.Tell(new TracepointReturn(e.Point));
                break;
            case TracepointEnter e:
                _pending.Enqueue(e);
                if (_running is null) StartNext();
                break;
            case ProbeProgramDone d when _running is not null && d.TaskId == _running.TaskId:
                RunNextProgram();
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void StartNext()
    {
        if (!_pending.TryDequeue(out var e)) return;
        _running = e;
        _nextProgram = 0;
        RunNextProgram();
    }

    private void RunNextProgram()
    {
        var e = _running!;
        while (_nextProgram < _attached.Count)
        {
            var (point, probe) = _attached[_nextProgram++];
            if (point != e.Point) continue;
            probe.Tell(new TracepointHit(e.Point, e.Args, e.TaskId, e.Mm, Self, e.MmapSem));
            return;
        }
        e.Task.Tell(new TracepointReturn(e.Point));
        _running = null;
        StartNext();
    }

    public override string ToString() => $"cpu{_cpu}";
}
