using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Cpu;
using ActorKernel.Actors.Engine;
using ActorKernel.Actors.Memory;
using ActorKernel.Actors.Metrics;
using Akka.Actor;

namespace ActorKernel.Actors.Probe;

/// <summary>
/// A tracer's BPF program at syscall entry tracepoints other than execve (sys_enter_write,
/// sys_enter_openat): reads each pointer argument the syscall's read plan names, one
/// bpf_probe_read_user() after another, each taking virtual time. Policy nofault: a read
/// succeeds only through present PTEs.
/// </summary>
public sealed class SyscallProbeActor : UntypedActor
{
    private readonly SimContext _sim;
    private readonly ActorKernelSettings _settings;
    private readonly ProbePolicy _policy;
    private readonly IActorRef _metrics;
    private readonly Queue<Tasks.SyscallPointer> _reads = new();
    private SyscallHit? _hit;
    private Tasks.SyscallPointer? _current;
    private int _readId;
    private long _hitStep;

    public SyscallProbeActor(SimContext sim, ActorKernelSettings settings, ProbePolicy policy, IActorRef metrics)
    {
        _sim = sim;
        _settings = settings;
        _policy = policy;
        _metrics = metrics;
    }

    public static Props Props(SimContext sim, ActorKernelSettings settings, ProbePolicy policy, IActorRef metrics) =>
        sim.Bind(SimProps.Create(() => new SyscallProbeActor(sim, settings, policy, metrics)));

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case SyscallHit hit:
                if (_hit is not null)
                    throw new InvalidOperationException($"probe hit on task {hit.TaskId} while still reading for task {_hit.TaskId}: probes must be per-CPU");
                _hit = hit;
                _hitStep++;
                foreach (var r in hit.Args.ProbeReads) _reads.Enqueue(r);
                IssueNext();
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

    private void IssueNext()
    {
        if (!_reads.TryDequeue(out var read))
        {
            var hit = _hit!;
            _hit = null;
            hit.Cpu.Tell(new ProbeProgramDone(hit.TaskId));
            return;
        }
        _current = read;
        _hit!.Mm.Tell(new ProbeWalk(read.Addr, read.LengthBytes, ++_readId, Self));
    }

    private void OnWalked(ProbeWalkResult r)
    {
        var c = _settings.Costs;
        var latencyNs = c.PteWalkNs * r.Result.PagesWalked + (r.Result.Ok ? c.ProbeReadNs : c.ProbeFixupNs);
        _metrics.Tell(new ProbeReadCompleted(
            _sim.NowNs, _hit!.Point.ToName(), _policy.ToName(), _current!.Target, _hit.TaskId, _current.Addr,
            r.Result.Ok, r.Result.Cause, latencyNs));
        _sim.Schedule(latencyNs, Self, new ReadNext(_hitStep));
    }

    private sealed record ReadNext(long Step);
}
