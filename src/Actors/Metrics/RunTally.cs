using ActorKernel.Model;
using HdrHistogram;

namespace ActorKernel.Actors.Metrics;

/// <summary>
/// The rules by which a run's events become its <see cref="RunMetrics"/>: reads by outcome, cause
/// and target, faults, forks and their write-lock holds, the NUMA timeline, and the probe
/// policies' lock and delay figures. No actor: <see cref="MetricsActor"/> only feeds it.
/// </summary>
public sealed class RunTally
{
    /// <summary>Latencies above one virtual hour are clamped (the histogram's range).</summary>
    public const long HighestTrackableNs = 3_600_000_000_000L;

    private readonly Timeline _timeline;
    private readonly LongHistogram _probeLatency = new(HighestTrackableNs, 3);
    private readonly SortedDictionary<string, long> _byCause = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, TargetCounts> _byTarget = new(StringComparer.Ordinal);
    private long _total, _ok, _failed, _skipped, _minor, _major, _forks, _execs, _forkHoldTotal, _forkHoldMax;
    private RwsemCounters _mmapLocks;
    private long _writeAcquisitions, _vmaReadAttempts, _vmaReadFailures;
    private WorkloadDelay _delay = WorkloadDelay.Zero;
    private long _stale, _deferred, _pastString;

    /// <param name="timelineBucketNs">Width of a timeline bucket (metrics.timeline-bucket-ms).</param>
    public RunTally(long timelineBucketNs)
    {
        _timeline = new Timeline(timelineBucketNs);
    }

    public void Read(ProbeReadCompleted r)
    {
        _total++;
        _probeLatency.RecordValue(Math.Clamp(r.LatencyNs, 0, HighestTrackableNs));
        var t = Target(r.Target);
        _timeline.Read(r);
        if (r.Ok)
        {
            _ok++;
            _byTarget[r.Target] = t with { Total = t.Total + 1 };
            return;
        }
        _failed++;
        if (r.PastString) _pastString++;
        _byTarget[r.Target] = t with { Total = t.Total + 1, Failed = t.Failed + 1 };
        var cause = r.Cause!.Value.ToKebab();
        _byCause[cause] = _byCause.GetValueOrDefault(cause) + 1;
    }

    public void Skipped(ProbeReadSkipped s)
    {
        _skipped += s.Count;
        var t = Target(s.Target);
        _byTarget[s.Target] = t with { Skipped = t.Skipped + s.Count };
    }

    public void Fault(FaultTaken f)
    {
        if (f.Major) _major++;
        else _minor++;
    }

    public void Fork(ForkFinished f)
    {
        _forks++;
        _forkHoldTotal += f.WriteLockHoldNs;
        _forkHoldMax = Math.Max(_forkHoldMax, f.WriteLockHoldNs);
    }

    public void Exec() => _execs++;

    public void HintFault(NumaHintFaultTaken h) => _timeline.HintFault(h);

    public void ScanPass(NumaScanPassFinished p) => _timeline.ScanPass(p);

    public void Memory(MemorySampled m) => _timeline.Memory(m);

    /// <summary>An mmap lock's counters moved; the run's figures are sums over its mms' locks.</summary>
    public void MmapLock(MmapLockStatsDelta d) => _mmapLocks += d.Delta;

    public void WriterGranted(MmapWriterGranted g)
    {
        _writeAcquisitions++;
        _delay = _delay with
        {
            WriterOps = _delay.WriterOps + 1,
            WriterWaitNsTotal = _delay.WriterWaitNsTotal + g.WaitedNs,
            WriterWaitByProbeNsTotal = _delay.WriterWaitByProbeNsTotal + g.ByProbeNs,
            WritersDelayedByProbe = _delay.WritersDelayedByProbe + (g.ByProbeNs > 0 ? 1 : 0),
        };
    }

    public void VmaLock(VmaLockTried v)
    {
        _vmaReadAttempts++;
        if (!v.Acquired) _vmaReadFailures++;
    }

    public void DeferredRead(DeferredReadChecked c)
    {
        _deferred++;
        if (c.Stale) _stale++;
    }

    public void ProbeProgram(ProbeProgramTimed t) => _delay = _delay with
    {
        ProbeProgramNsTotal = _delay.ProbeProgramNsTotal + t.ProgramNs,
        ProbeFaultAndLockNsTotal = _delay.ProbeFaultAndLockNsTotal + t.FaultAndLockNs,
    };

    public void ChurnOp() => _delay = _delay with { ChurnOps = _delay.ChurnOps + 1 };

    /// <summary>The figures so far; the maps and the histogram are copies.</summary>
    public RunMetrics Snapshot()
    {
        var latency = _probeLatency.TotalCount == 0
            ? new LatencySummary(0, 0, 0, 0, 0)
            : new LatencySummary(
                _probeLatency.GetValueAtPercentile(50), _probeLatency.GetValueAtPercentile(90),
                _probeLatency.GetValueAtPercentile(99), _probeLatency.GetValueAtPercentile(99.9),
                _probeLatency.GetMaxValue());
        var l = _mmapLocks;
        var locks = new LockStats(l.WriteHoldNs, l.ReadHoldNs, l.WriteWaitNs, l.ReadWaitNs, _writeAcquisitions,
            l.TrylockAttempts, l.TrylockFailures, l.Handoffs, _vmaReadAttempts, _vmaReadFailures);
        return new RunMetrics(
            _total, _ok, _failed, _skipped,
            new SortedDictionary<string, long>(_byCause, StringComparer.Ordinal),
            new SortedDictionary<string, TargetCounts>(_byTarget, StringComparer.Ordinal),
            latency, _minor, _major, _forks, _execs, _forkHoldTotal, _forkHoldMax)
        {
            ReadsPastString = _pastString,
            Numa = _timeline.Totals(),
            Timeline = _timeline.Buckets(),
            TimelineWidenedBucketNs = _timeline.WidenedBucketNs,
            ScanPasses = _timeline.Passes(),
            ScanPassesOmitted = _timeline.ScanPassesOmitted,
            Memory = _timeline.MemoryTotals(),
            Policy = new PolicyMetrics(_stale, _deferred, locks, _delay, (LongHistogram)_probeLatency.Copy()),
        };
    }

    private TargetCounts Target(string name) => _byTarget.GetValueOrDefault(name) ?? new TargetCounts(0, 0, 0);
}
