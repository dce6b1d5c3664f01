using ActorKernel.Actors.Engine;
using Akka.Actor;

namespace ActorKernel.Actors.Metrics;

/// <summary>
/// The only writer of a run's results: feeds each event to the run's <see cref="RunTally"/>,
/// publishes outcomes (SimContext.Publish) for observers outside the run, and answers
/// <see cref="MetricsSnapshot"/>.
/// </summary>
public sealed class MetricsActor : UntypedActor
{
    private readonly SimContext _sim;
    private readonly RunTally _tally;

    public MetricsActor(SimContext sim, long timelineBucketNs)
    {
        _sim = sim;
        _tally = new RunTally(timelineBucketNs);
    }

    public static Props Props(SimContext sim, long timelineBucketNs) =>
        sim.Bind(SimProps.Create(() => new MetricsActor(sim, timelineBucketNs)));

    // The run is over: its tally's latency histogram goes back to this lane thread's pool for the next run.
    protected override void PostStop() => _tally.Release();

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case ProbeReadCompleted r:
                _tally.Read(r);
                _sim.Publish(r);
                break;
            case ProbeReadSkipped s:
                _tally.Skipped(s);
                break;
            case FaultTaken f:
                _tally.Fault(f);
                _sim.Publish(f);
                break;
            case ForkFinished f:
                _tally.Fork(f);
                _sim.Publish(f);
                break;
            case ExecFinished:
                _tally.Exec();
                break;
            case NumaHintFaultTaken h:
                _tally.HintFault(h);
                _sim.Publish(h);
                break;
            case NumaScanPassFinished p:
                _tally.ScanPass(p);
                _sim.Publish(p);
                break;
            case MemorySampled m:
                _tally.Memory(m);
                _sim.Publish(m);
                break;
            case MmapLockStatsDelta d:
                _tally.MmapLock(d);
                break;
            case MmapWriterGranted g:
                _tally.WriterGranted(g);
                break;
            case VmaLockTried v:
                _tally.VmaLock(v);
                break;
            case DeferredReadChecked c:
                _tally.DeferredRead(c);
                break;
            case ProbeProgramTimed t:
                _tally.ProbeProgram(t);
                break;
            case ChurnOpDone:
                _tally.ChurnOp();
                break;
            case MetricsSnapshot s:
                s.ReplyTo.Tell(_tally.Snapshot());
                break;
            default:
                _sim.Unexpected(Self, message);
                break;
        }
    }
}
