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
    private readonly LongHistogram _probeLatency = LatencyHistogramPool.Rent();
    private readonly SortedDictionary<string, long> _byCause = new(StringComparer.Ordinal);
    // Mutable counts per target (a record per read was a third of the tally's allocation); TargetCounts at the snapshot.
    private readonly SortedDictionary<string, long[]> _byTarget = new(StringComparer.Ordinal);
    private long _total, _ok, _failed, _skipped, _minor, _major, _forks, _execs, _forkHoldTotal, _forkHoldMax;
    private RwsemCounters _mmapLocks;
    private long _writeAcquisitions, _vmaReadAttempts, _vmaReadFailures;
    // WorkloadDelay's fields, summed in place (a record per event allocated on every lock grant and probe).
    private long _writerOps, _writerWaitNsTotal, _writerWaitByProbeNsTotal, _writersDelayedByProbe;
    private long _probeProgramNsTotal, _probeFaultAndLockNsTotal, _churnOps;
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
        t[0]++;
        if (r.Ok)
        {
            _ok++;
            return;
        }
        _failed++;
        if (r.PastString) _pastString++;
        t[1]++;
        var cause = r.Cause!.Value.ToKebab();
        _byCause[cause] = _byCause.GetValueOrDefault(cause) + 1;
    }

    public void Skipped(ProbeReadSkipped s)
    {
        _skipped += s.Count;
        Target(s.Target)[2] += s.Count;
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
        _writerOps++;
        _writerWaitNsTotal += g.WaitedNs;
        _writerWaitByProbeNsTotal += g.ByProbeNs;
        if (g.ByProbeNs > 0) _writersDelayedByProbe++;
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

    public void ProbeProgram(ProbeProgramTimed t)
    {
        _probeProgramNsTotal += t.ProgramNs;
        _probeFaultAndLockNsTotal += t.FaultAndLockNs;
    }

    public void ChurnOp() => _churnOps++;

    /// <summary>
    /// Give the tally's latency histogram back to this thread's <see cref="LatencyHistogramPool"/>
    /// (the metrics actor stops): no snapshot may be taken afterwards.
    /// </summary>
    public void Release() => LatencyHistogramPool.Return(_probeLatency);

    /// <summary>The figures so far; the maps and the histogram are copies (the histogram rented from <see cref="LatencyHistogramPool"/>).</summary>
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
        var delay = new WorkloadDelay(_writerOps, _writerWaitNsTotal, _writerWaitByProbeNsTotal, _writersDelayedByProbe,
            _probeProgramNsTotal, _probeFaultAndLockNsTotal, _churnOps);
        var histogram = LatencyHistogramPool.Rent();
        histogram.Add(_probeLatency);
        return new RunMetrics(
            _total, _ok, _failed, _skipped,
            new SortedDictionary<string, long>(_byCause, StringComparer.Ordinal),
            new SortedDictionary<string, TargetCounts>(_byTarget.ToDictionary(kv => kv.Key, kv => new TargetCounts(kv.Value[0], kv.Value[1], kv.Value[2]), StringComparer.Ordinal),
                StringComparer.Ordinal),
            latency, _minor, _major, _forks, _execs, _forkHoldTotal, _forkHoldMax)
        {
            ReadsPastString = _pastString,
            Numa = _timeline.Totals(),
            Timeline = _timeline.Buckets(),
            TimelineWidenedBucketNs = _timeline.WidenedBucketNs,
            ScanPasses = _timeline.Passes(),
            ScanPassesOmitted = _timeline.ScanPassesOmitted,
            Memory = _timeline.MemoryTotals(),
            Policy = new PolicyMetrics(_stale, _deferred, locks, delay, histogram),
        };
    }

    // Total, failed, skipped.
    private long[] Target(string name)
    {
        if (!_byTarget.TryGetValue(name, out var counts)) _byTarget.Add(name, counts = new long[3]);
        return counts;
    }
}
