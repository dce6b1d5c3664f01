namespace ActorKernel.Model.Tests.Numa;

/// <summary>kernel/sched/fair.c task_tick_numa(), task_numa_fault() and update_task_scan_period().</summary>
public sealed class TaskNumaStateTests
{
    private const long Ms = SimTime.NsPerMs;
    private const long Tick = 4 * Ms;
    private static readonly NumaBalancingParams P = new();

    [Fact]
    public void TaskTickNuma_FirstScanAfterScanDelayOfRuntime()
    {
        var t = new TaskNumaState(P);
        long now = 0;
        var queuedAt = -1L;
        while (queuedAt < 0 && now < 5_000 * Ms)
        {
            now += Tick;
            if (t.TaskTickNuma(Tick, now, mmNextScanNs: 1_000 * Ms)) queuedAt = now;
        }
        Assert.Equal(1_004 * Ms, queuedAt);
        Assert.Equal(P.ScanPeriodMinMs, t.ScanPeriodMs);
    }

    [Fact]
    public void TaskTickNuma_NoRuntime_NeverQueuesWork()
    {
        // A sleeping task is not ticked; even a tick charging nothing never reaches the period.
        var t = new TaskNumaState(P);
        for (long now = 0; now < 100_000 * Ms; now += 1_000 * Ms) Assert.False(t.TaskTickNuma(0, now, 0));
    }

    [Fact]
    public void UpdateTaskScanPeriod_NoHintFaults_DoublesUpToTheMax()
    {
        var t = new TaskNumaState(P);
        var next = t.UpdateTaskScanPeriod(nowNs: 0);
        Assert.Equal(2 * P.ScanDelayMs, t.ScanPeriodMs);
        Assert.Equal(2 * P.ScanDelayMs * Ms, next);
        for (int i = 0; i < 10; i++) t.UpdateTaskScanPeriod(0);
        Assert.Equal(P.ScanPeriodMaxMs, t.ScanPeriodMs);
    }

    [Fact]
    public void TaskNumaFault_PrivateLocalFaults_LengthenThePeriodByThreeTenths()
    {
        var t = new TaskNumaState(P);
        t.TaskTickNuma(2_000 * Ms, 2_000 * Ms, 0); // period becomes scan_period_min
        t.TaskNumaFault(mmScanSeq: 0, local: true, priv: true, migrateFailed: false, pages: 10, nowNs: 0);
        // The next sequence's first fault runs task_numa_placement(): ps_ratio 10 → +3 slots.
        Assert.Null(t.TaskNumaFault(1, true, true, false, 1, 0));
        Assert.Equal(1_300, t.ScanPeriodMs);
    }

    [Fact]
    public void TaskNumaFault_OncePerSequence_AndCountsLocality()
    {
        var t = new TaskNumaState(P);
        t.TaskNumaFault(1, local: false, priv: true, migrateFailed: false, pages: 1, nowNs: 0);
        t.TaskNumaFault(1, local: true, priv: true, migrateFailed: false, pages: 1, nowNs: 0);
        Assert.Equal((1, 1), (t.HintFaultsLocal, t.HintFaultsRemote));
    }
}
