namespace ActorKernel.Model;

/// <summary>
/// The NUMA-balancing fields of one task_struct: sum_exec_runtime, node_stamp, numa_scan_period,
/// numa_faults_locality and the private/shared fault counts since the last placement
/// (kernel/sched/fair.c). Pure: the caller supplies time and the mm's fields.
/// </summary>
public sealed class TaskNumaState
{
    /// <summary>NUMA_PERIOD_SLOTS and NUMA_PERIOD_THRESHOLD of update_task_scan_period().</summary>
    public const int PeriodSlots = 10;
    public const int PeriodThreshold = 7;

    private readonly NumaBalancingParams _p;

    public TaskNumaState(NumaBalancingParams p)
    {
        _p = p;
        // init_numa_balancing(): the first period is scan_delay.
        ScanPeriodMs = p.ScanDelayMs;
    }

    /// <summary>se.sum_exec_runtime: CPU time the task has run, ns.</summary>
    public long RuntimeNs { get; private set; }

    /// <summary>curr->node_stamp: runtime at which the last period was charged.</summary>
    public long NodeStampNs { get; private set; }

    /// <summary>p->numa_scan_period.</summary>
    public int ScanPeriodMs { get; private set; }

    /// <summary>p->numa_scan_seq: the mm sequence at the last task_numa_placement().</summary>
    public int ScanSeq { get; private set; }

    /// <summary>numa_faults_locality[0] remote, [1] local, [2] failed migrations, since the last period update.</summary>
    public long FaultsRemote { get; private set; }
    public long FaultsLocal { get; private set; }
    public long FaultsMigrateFailed { get; private set; }

    /// <summary>Private and shared hint faults since the last placement (numa_faults by type).</summary>
    public long FaultsPrivate { get; private set; }
    public long FaultsShared { get; private set; }

    /// <summary>Hint faults this task took in total, local and remote.</summary>
    public long HintFaultsLocal { get; private set; }
    public long HintFaultsRemote { get; private set; }

    /// <summary>
    /// kernel/sched/fair.c task_tick_numa(): charge <paramref name="runtimeNs"/> of CPU time; when
    /// runtime passes node_stamp + numa_scan_period, advance node_stamp and return true if the
    /// mm's numa_next_scan has come (task_work_add of task_numa_work).
    /// </summary>
    public bool TaskTickNuma(long runtimeNs, long nowNs, long mmNextScanNs)
    {
        ModelInvariantException.Check(runtimeNs >= 0, $"negative runtime {runtimeNs}");
        RuntimeNs += runtimeNs;
        long periodNs = SimTime.MsToNs(ScanPeriodMs);
        if (RuntimeNs <= NodeStampNs + periodNs) return false;
        // task_scan_start(): the first real period is scan_period_min (one scan window: small RSS).
        if (NodeStampNs == 0) ScanPeriodMs = TaskScanMinMs;
        NodeStampNs += periodNs;
        return nowNs >= mmNextScanNs;
    }

    /// <summary>
    /// task_numa_work() won the cmpxchg on numa_next_scan: returns the mm's next numa_next_scan
    /// and delays this task by two ticks "so that another task of this mm will likely win next time".
    /// </summary>
    public long WonScan(long nowNs, long tickNs)
    {
        NodeStampNs += 2 * tickNs;
        return nowNs + SimTime.MsToNs(ScanPeriodMs);
    }

    /// <summary>
    /// kernel/sched/fair.c task_numa_fault(): task_numa_placement() first (which updates the scan
    /// period once per new mm sequence), then count the fault. Returns a new numa_next_scan for
    /// the mm when the period doubled (no local or shared faults), else null.
    /// </summary>
    public long? TaskNumaFault(int mmScanSeq, bool local, bool priv, bool migrateFailed, int pages, long nowNs)
    {
        long? nextScan = null;
        if (ScanSeq != mmScanSeq)
        {
            ScanSeq = mmScanSeq;
            nextScan = UpdateTaskScanPeriod(nowNs);
            FaultsPrivate = FaultsShared = 0;
        }
        if (local) { FaultsLocal += pages; HintFaultsLocal += pages; }
        else { FaultsRemote += pages; HintFaultsRemote += pages; }
        if (migrateFailed) FaultsMigrateFailed += pages;
        if (priv) FaultsPrivate += pages;
        else FaultsShared += pages;
        return nextScan;
    }

    /// <summary>
    /// kernel/sched/fair.c update_task_scan_period(): no local and no shared faults (or a failed
    /// migration) doubles the period and pushes numa_next_scan; otherwise mostly-private or
    /// mostly-local faults lengthen it by slots of a tenth, and remote shared ones shorten it.
    /// </summary>
    public long? UpdateTaskScanPeriod(long nowNs)
    {
        long local = FaultsLocal, remote = FaultsRemote, shared = FaultsShared, priv = FaultsPrivate;
        long? nextScan = null;
        if (local + shared == 0 || FaultsMigrateFailed > 0)
        {
            ScanPeriodMs = Math.Min(_p.ScanPeriodMaxMs, ScanPeriodMs << 1);
            nextScan = nowNs + SimTime.MsToNs(ScanPeriodMs);
        }
        else
        {
            int periodSlot = (ScanPeriodMs + PeriodSlots - 1) / PeriodSlots;
            long lrRatio = local * PeriodSlots / (local + remote);
            long psRatio = priv * PeriodSlots / (priv + shared);
            long diff;
            if (psRatio >= PeriodThreshold) diff = Math.Max(1, psRatio - PeriodThreshold) * periodSlot;
            else if (lrRatio >= PeriodThreshold) diff = Math.Max(1, lrRatio - PeriodThreshold) * periodSlot;
            else diff = -(PeriodThreshold - Math.Max(lrRatio, psRatio)) * periodSlot;
            ScanPeriodMs = (int)Math.Clamp(ScanPeriodMs + diff, TaskScanMinMs, TaskScanMaxMs);
        }
        FaultsLocal = FaultsRemote = FaultsMigrateFailed = 0;
        return nextScan;
    }

    // task_scan_min()/task_scan_max() with one scan window (an RSS under scan_size).
    private int TaskScanMinMs => _p.ScanPeriodMinMs;

    private int TaskScanMaxMs => Math.Max(_p.ScanPeriodMaxMs, _p.ScanPeriodMinMs);
}
