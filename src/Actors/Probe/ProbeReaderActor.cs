using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Cpu;
using ActorKernel.Actors.Engine;
using ActorKernel.Actors.Memory;
using ActorKernel.Actors.Metrics;
using ActorKernel.Actors.Tasks;
using Akka.Actor;

namespace ActorKernel.Actors.Probe;

/// <summary>
/// A tracer's BPF program at sys_enter_execve, like bcc's execsnoop: read the filename, the
/// argv pointer array, then each argv string (bpf_probe_read_user[_str]). Each read takes
/// virtual time, so other CPUs' events can land between two reads of one hit.
/// </summary>
public sealed class ProbeReaderActor : UntypedActor
{
    private readonly SimContext _sim;
    private readonly ActorKernelSettings _settings;
    private readonly ProbePolicy _policy;
    private readonly IActorRef _metrics;
    private readonly Queue<(string Target, ulong Addr, int Len)> _reads = new();
    private TracepointHit? _hit;
    private int _readId;
    private string _currentTarget = "";
    private ulong _currentAddr;
    private long _hitStep;

    public ProbeReaderActor(SimContext sim, ActorKernelSettings settings, ProbePolicy policy, IActorRef metrics)
    {
        _sim = sim;
        _settings = settings;
        _policy = policy;
        _metrics = metrics;
    }

    public static Props Props(SimContext sim, ActorKernelSettings settings, ProbePolicy policy, IActorRef metrics) =>
        sim.Bind(SimProps.Create(() => new ProbeReaderActor(sim, settings, policy, metrics)));

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case TracepointHit hit:
                Begin(hit);
                break;
            case ReadNext n when n.Step == _hitStep:
                IssueNext();
                break;
            case ProbeWalkResult r when r.ReadId == _readId:
                OnWalked(r);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Begin(TracepointHit hit)
    {
        if (_hit is not null)
            throw new InvalidOperationException($"probe hit on task {hit.TaskId} while still reading for task {_hit.TaskId}: probes must be per-CPU");
        _hit = hit;
        _hitStep++;
        var args = hit.Args;
        _reads.Enqueue((ProbeTargets.Filename, args.Filename.Addr, args.Filename.LengthBytes));
        _reads.Enqueue((ProbeTargets.ArgvArray, args.ArgvAddr, 8 * Math.Min(args.Argv.Count + 1, _settings.Probe.MaxArgv)));
        IssueNext();
    }

    private void IssueNext()
    {
        if (!_reads.TryDequeue(out var read))
        {
            var hit = _hit!;
            _hit = null;
            hit.Cpu.Tell(new ProbeProgramDone(hit.TaskId));
            return;
        }
        _currentTarget = read.Target;
        _currentAddr = read.Addr;
        _hit!.Mm.Tell(new ProbeWalk(read.Addr, read.Len, ++_readId, Self));
    }

    private void OnWalked(ProbeWalkResult r)
    {
        var c = _settings.Costs;
        var latencyNs = c.PteWalkNs * r.Result.PagesWalked + (r.Result.Ok ? c.ProbeReadNs : c.ProbeFixupNs);
        _metrics.Tell(new ProbeReadCompleted(
            _sim.NowNs, _hit!.Point.ToName(), _policy.ToName(), _currentTarget, _hit.TaskId, _currentAddr,
            r.Result.Ok, r.Result.Cause, latencyNs));

        if (_currentTarget == ProbeTargets.ArgvArray) QueueArgvStrings(r.Result.Ok);
        _sim.Schedule(latencyNs, Self, new ReadNext(_hitStep));
    }

    // The strings' addresses come from the array: when it could not be read, neither can they.
    private void QueueArgvStrings(bool arrayRead)
    {
        var argv = _hit!.Args.Argv;
        var n = Math.Min(argv.Count, _settings.Probe.MaxArgv);
        if (!arrayRead)
        {
            if (n > 0) _metrics.Tell(new ProbeReadSkipped(ProbeTargets.Argv, n));
            return;
        }
        for (var i = 0; i < n; i++) _reads.Enqueue((ProbeTargets.Argv, argv[i].Addr, argv[i].LengthBytes));
    }

    private sealed record ReadNext(long Step);
}
