using HdrHistogram;

namespace ActorKernel.Actors.Metrics;

/// <summary>Lock statistics of a run, summed over every mm's mmap lock (virtual ns).</summary>
public sealed record LockStats(
    long WriteHoldNsTotal, long ReadHoldNsTotal, long WriteWaitNsTotal, long ReadWaitNsTotal,
    long WriteAcquisitions, long TrylockAttempts, long TrylockFailures, long Handoffs,
    long VmaReadAttempts, long VmaReadFailures)
{
    public static LockStats Zero { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}

/// <summary>
/// The delay the probe imposed on the traced workload: writers of the mmap lock that waited
/// while a probe held it for read, and the time tasks spent stopped at a tracepoint while
/// their probe waited for a lock or resolved faults.
/// </summary>
public sealed record WorkloadDelay(
    long WriterOps, long WriterWaitNsTotal, long WriterWaitByProbeNsTotal, long WritersDelayedByProbe,
    long ProbeProgramNsTotal, long ProbeFaultAndLockNsTotal, long ChurnOps)
{
    public static WorkloadDelay Zero { get; } = new(0, 0, 0, 0, 0, 0, 0);

    /// <summary>Mean time per mmap-lock write acquisition spent waiting for a probe, in ns.</summary>
    public double WriterWaitByProbeNsPerOp => WriterOps == 0 ? 0 : (double)WriterWaitByProbeNsTotal / WriterOps;
}

/// <summary>What the probe policies add to <see cref="RunMetrics"/>.</summary>
/// <param name="StaleReads">deferred: reads whose bytes differed from those at the tracepoint.</param>
/// <param name="DeferredReads">deferred: reads made at the exit point.</param>
/// <param name="Locks">mmap lock and per-VMA lock statistics.</param>
/// <param name="Delay">The delay imposed on the traced workload.</param>
/// <param name="LatencyHistogram">Every probe read's latency (ns): pooled across seeds for percentiles and CDFs.</param>
public sealed record PolicyMetrics(long StaleReads, long DeferredReads, LockStats Locks, WorkloadDelay Delay, LongHistogram? LatencyHistogram)
{
    public static PolicyMetrics Empty { get; } = new(0, 0, LockStats.Zero, WorkloadDelay.Zero, null);
}
