namespace ActorKernel.Model;

/// <summary>
/// What an rw_semaphore (kernel/locking/rwsem.c) accumulated: hold and queue times by mode in
/// virtual ns, trylocks and their failures, handoff bits set. The one shape of lock counters:
/// a semaphore's totals, the deltas an mmap_lock reports, and a run's sums.
/// </summary>
public readonly record struct RwsemCounters(
    long WriteHoldNs, long ReadHoldNs, long WriteWaitNs, long ReadWaitNs,
    long TrylockAttempts, long TrylockFailures, long Handoffs)
{
    public static RwsemCounters operator +(RwsemCounters a, RwsemCounters b) => new(
        a.WriteHoldNs + b.WriteHoldNs, a.ReadHoldNs + b.ReadHoldNs, a.WriteWaitNs + b.WriteWaitNs, a.ReadWaitNs + b.ReadWaitNs,
        a.TrylockAttempts + b.TrylockAttempts, a.TrylockFailures + b.TrylockFailures, a.Handoffs + b.Handoffs);

    /// <summary>What changed from <paramref name="earlier"/> to <paramref name="later"/>.</summary>
    public static RwsemCounters operator -(RwsemCounters later, RwsemCounters earlier) => new(
        later.WriteHoldNs - earlier.WriteHoldNs, later.ReadHoldNs - earlier.ReadHoldNs, later.WriteWaitNs - earlier.WriteWaitNs,
        later.ReadWaitNs - earlier.ReadWaitNs, later.TrylockAttempts - earlier.TrylockAttempts,
        later.TrylockFailures - earlier.TrylockFailures, later.Handoffs - earlier.Handoffs);
}
