namespace ActorKernel.Actors.Metrics;

/// <summary>The probe policies' figures: locks, workload delay, staleness.</summary>
public sealed partial class MetricsActor
{
    private LockStats _locks = LockStats.Zero;
    private WorkloadDelay _delay = WorkloadDelay.Zero;
    private long _stale, _deferred;

    private bool RecordPolicy(object message)
    {
        switch (message)
        {
            case MmapLockStatsDelta d:
                _locks = _locks with
                {
                    WriteHoldNsTotal = _locks.WriteHoldNsTotal + d.WriteHoldNs,
                    ReadHoldNsTotal = _locks.ReadHoldNsTotal + d.ReadHoldNs,
                    WriteWaitNsTotal = _locks.WriteWaitNsTotal + d.WriteWaitNs,
                    ReadWaitNsTotal = _locks.ReadWaitNsTotal + d.ReadWaitNs,
                    TrylockAttempts = _locks.TrylockAttempts + d.TrylockAttempts,
                    TrylockFailures = _locks.TrylockFailures + d.TrylockFailures,
                    Handoffs = _locks.Handoffs + d.Handoffs,
                };
                return true;
            case MmapWriterGranted g:
                _locks = _locks with { WriteAcquisitions = _locks.WriteAcquisitions + 1 };
                _delay = _delay with
                {
                    WriterOps = _delay.WriterOps + 1,
                    WriterWaitNsTotal = _delay.WriterWaitNsTotal + g.WaitedNs,
                    WriterWaitByProbeNsTotal = _delay.WriterWaitByProbeNsTotal + g.ByProbeNs,
                    WritersDelayedByProbe = _delay.WritersDelayedByProbe + (g.ByProbeNs > 0 ? 1 : 0),
                };
                return true;
            case VmaLockTried v:
                _locks = _locks with { VmaReadAttempts = _locks.VmaReadAttempts + 1, VmaReadFailures = _locks.VmaReadFailures + (v.Acquired ? 0 : 1) };
                return true;
            case DeferredReadChecked c:
                _deferred++;
                if (c.Stale) _stale++;
                return true;
            case ProbeProgramTimed t:
                _delay = _delay with
                {
                    ProbeProgramNsTotal = _delay.ProbeProgramNsTotal + t.ProgramNs,
                    ProbeFaultAndLockNsTotal = _delay.ProbeFaultAndLockNsTotal + t.FaultAndLockNs,
                };
                return true;
            case ChurnOpDone:
                _delay = _delay with { ChurnOps = _delay.ChurnOps + 1 };
                return true;
            default:
                return false;
        }
    }

    private PolicyMetrics PolicySnapshot() => new(_stale, _deferred, _locks, _delay, (HdrHistogram.LongHistogram)_probeLatency.Copy());
}
