using ActorKernel.Actors.Engine;
using ActorKernel.Model;
using Akka.Actor;
using HdrHistogram;

namespace ActorKernel.Actors.Metrics;

/// <summary>
/// The only writer of a run's results: counts outcomes, keeps latencies in an HdrHistogram,
/// and publishes each outcome (SimContext.Publish) for observers outside the run.
/// </summary>
public sealed partial class MetricsActor : UntypedActor
{
    private const long HighestTrackableNs = 3_600_000_000_000L;

    private readonly Engine.SimContext _sim;
    private readonly Timeline _timeline;
    private readonly LongHistogram _probeLatency = new(HighestTrackableNs, 3);
    private readonly SortedDictionary<string, long> _byCause = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, (long Total, long Failed, long Skipped)> _byTarget = new(StringComparer.Ordinal);
    private long _total, _ok, _failed, _skipped, _minor, _major, _forks, _execs, _forkHoldTotal, _forkHoldMax;

    public MetricsActor(Engine.SimContext sim, long timelineBucketNs)
    {
        _sim = sim;
        _timeline = new Timeline(timelineBucketNs);
    }

    public static Props Props(Engine.SimContext sim, long timelineBucketNs) =>
        sim.Bind(SimProps.Create(() => new MetricsActor(sim, timelineBucketNs)));

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case ProbeReadCompleted r:
                Record(r);
                _timeline.Read(r);
                _sim.Publish(r);
                break;
            case ProbeReadSkipped s:
                _skipped += s.Count;
                var t = Target(s.Target);
                _byTarget[s.Target] = (t.Total, t.Failed, t.Skipped + s.Count);
                break;
            case FaultTaken f:
                if (f.Major) _major++;
                else _minor++;
                _sim.Publish(f);
                break;
            case ForkFinished f:
                _forks++;
                _forkHoldTotal += f.WriteLockHoldNs;
                _forkHoldMax = Math.Max(_forkHoldMax, f.WriteLockHoldNs);
                _sim.Publish(f);
                break;
            case ExecFinished:
                _execs++;
                break;
            case NumaHintFaultTaken h:
                _timeline.HintFault(h);
                _sim.Publish(h);
                break;
            case NumaScanPassFinished p:
                _timeline.ScanPass(p);
                _sim.Publish(p);
                break;
            case MetricsSnapshot s:
                s.ReplyTo.Tell(Snapshot() with { Policy = PolicySnapshot() });
                break;
            default:
                if (!RecordPolicy(message)) _sim.Unexpected(Self, message);
                break;
        }
    }

    private void Record(ProbeReadCompleted r)
    {
        _total++;
        _probeLatency.RecordValue(Math.Clamp(r.LatencyNs, 0, HighestTrackableNs));
        var t = Target(r.Target);
        if (r.Ok)
        {
            _ok++;
            _byTarget[r.Target] = (t.Total + 1, t.Failed, t.Skipped);
            return;
        }
        _failed++;
        _byTarget[r.Target] = (t.Total + 1, t.Failed + 1, t.Skipped);
        var cause = r.Cause!.Value.ToKebab();
        _byCause[cause] = _byCause.GetValueOrDefault(cause) + 1;
    }

    private (long Total, long Failed, long Skipped) Target(string name) => _byTarget.GetValueOrDefault(name);

    private RunMetrics Snapshot()
    {
        var latency = _probeLatency.TotalCount == 0
            ? new LatencySummary(0, 0, 0, 0, 0)
            : new LatencySummary(
                _probeLatency.GetValueAtPercentile(50), _probeLatency.GetValueAtPercentile(90),
                _probeLatency.GetValueAtPercentile(99), _probeLatency.GetValueAtPercentile(99.9),
                _probeLatency.GetMaxValue());
        return new RunMetrics(
            _total, _ok, _failed, _skipped,
            new SortedDictionary<string, long>(_byCause, StringComparer.Ordinal),
            new SortedDictionary<string, TargetCounts>(
                _byTarget.ToDictionary(kv => kv.Key, kv => new TargetCounts(kv.Value.Total, kv.Value.Failed, kv.Value.Skipped)),
                StringComparer.Ordinal),
            latency, _minor, _major, _forks, _execs, _forkHoldTotal, _forkHoldMax)
        {
            Numa = _timeline.Totals(),
            Timeline = _timeline.Buckets(),
            ScanPasses = _timeline.Passes(),
        };
    }
}
