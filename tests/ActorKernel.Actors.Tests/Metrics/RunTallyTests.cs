using ActorKernel.Actors.Metrics;
using ActorKernel.Model;

namespace ActorKernel.Actors.Tests.Metrics;

public class RunTallyTests
{
    private static ProbeReadCompleted Read(long atNs, string target, FailureCause? cause, long latencyNs = 100) =>
        new(atNs, "sys_enter_execve", "nofault", target, 1, 0x1000, cause is null, cause, latencyNs);

    [Fact]
    public void Reads_AreCountedByOutcome_CauseAndTarget_AndSkippedArgvBelongsToItsTarget()
    {
        var t = new RunTally(SimTime.NsPerS);
        t.Read(Read(10, "filename", FailureCause.ForkSkippedPte));
        t.Read(Read(20, "filename", null));
        t.Read(Read(30, "argv", FailureCause.NotMapped));
        t.Skipped(new ProbeReadSkipped("argv", 3));

        var m = t.Snapshot();

        Assert.Equal((3, 1, 2, 3), (m.ReadsTotal, m.ReadsOk, m.ReadsFailed, m.ReadsSkipped));
        Assert.Equal(new Dictionary<string, long> { ["fork-skipped-pte"] = 1, ["not-mapped"] = 1 }, m.ByCause);
        Assert.Equal(new TargetCounts(2, 1, 0), m.ByTarget["filename"]);
        Assert.Equal(new TargetCounts(1, 1, 3), m.ByTarget["argv"]);
    }

    [Fact]
    public void TheTimeline_PutsEachReadInTheBucketOfItsVirtualTime()
    {
        var t = new RunTally(SimTime.MsToNs(10));
        t.Read(Read(SimTime.MsToNs(9), "buf", FailureCause.NumaProtNone));
        t.Read(Read(SimTime.MsToNs(10), "buf", null));
        t.Read(Read(SimTime.MsToNs(25), "buf", null));

        var buckets = t.Snapshot().Timeline;

        Assert.Equal(new long[] { 0, SimTime.MsToNs(10), SimTime.MsToNs(20) }, buckets.Select(b => b.StartNs));
        Assert.Equal((1, 1), (buckets[0].ByTarget["buf"].Reads, buckets[0].ByTarget["buf"].Failed));
        Assert.Equal(1, buckets[0].ByTarget["buf"].ByCause["numa-protnone"]);
        Assert.Equal(0, buckets[1].ByTarget["buf"].Failed);
    }

    [Fact]
    public void ALongRun_WidensTheTimeline_MergingPairs_SoItNeverHoldsMoreThan1024Buckets()
    {
        var t = new RunTally(1_000);
        t.Read(Read(0, "buf", null));
        t.Read(Read(1_000, "buf", FailureCause.NumaProtNone));
        t.Read(Read(1_023_999, "buf", null));
        Assert.Null(t.Snapshot().TimelineWidenedBucketNs);

        // 1,024 buckets of 1,000 ns end at 1,024,000: an event there doubles the width once; one at 4,096,000 twice more.
        t.Read(Read(1_024_000, "buf", null));
        var once = t.Snapshot();
        Assert.Equal(2_000, once.TimelineWidenedBucketNs);
        Assert.Equal(new long[] { 0, 1_022_000, 1_024_000 }, once.Timeline.Select(b => b.StartNs));
        Assert.Equal((2, 1), (once.Timeline[0].ByTarget["buf"].Reads, once.Timeline[0].ByTarget["buf"].Failed));
        Assert.Equal(1, once.Timeline[0].ByTarget["buf"].ByCause["numa-protnone"]);

        t.Read(Read(4_096_000, "buf", null));
        var m = t.Snapshot();
        Assert.Equal(8_000, m.TimelineWidenedBucketNs);
        Assert.Equal(new long[] { 0, 1_016_000, 1_024_000, 4_096_000 }, m.Timeline.Select(b => b.StartNs));
        Assert.Equal(5, m.Timeline.Sum(b => b.ByTarget["buf"].Reads));
    }

    [Fact]
    public void ScanPasses_PastTheFirst1024_AreCountedButNotListed()
    {
        var t = new RunTally(SimTime.NsPerS);
        for (var i = 0; i < 1_030; i++) t.ScanPass(new NumaScanPassFinished(i * 10L, i * 10L + 5, 1, 1, 2, i, SkippedLockBusy: false));

        var m = t.Snapshot();

        Assert.Equal((1_024, 6L), (m.ScanPasses.Count, m.ScanPassesOmitted));
        Assert.Equal((1_030L, 2_060L), (m.Numa.ScanPasses, m.Numa.PtesUpdated));
        Assert.Equal(1_024, m.Timeline.Sum(b => b.ScanPassStartsNs.Count));
    }

    [Fact]
    public void ForkHolds_SumAndKeepTheLongest()
    {
        var t = new RunTally(SimTime.NsPerS);
        t.Fork(new ForkFinished(300, 0, 5, 10, 2));
        t.Fork(new ForkFinished(700, 50, 5, 10, 2));
        t.Fault(new FaultTaken(FaultKind.FileRead, Major: true, 16));
        t.Fault(new FaultTaken(FaultKind.AnonAlloc, Major: false, 1));
        t.Exec();

        var m = t.Snapshot();

        Assert.Equal((2, 1000, 700), (m.Forks, m.ForkWriteLockHoldNsTotal, m.ForkWriteLockHoldNsMax));
        Assert.Equal((1, 1, 1), (m.MinorFaults, m.MajorFaults, m.Execs));
    }

    [Fact]
    public void LockDeltasOfEveryMm_Sum_AndOnlyWritersAProbeHeldUpCountAsDelayed()
    {
        var t = new RunTally(SimTime.NsPerS);
        t.MmapLock(new MmapLockStatsDelta(new RwsemCounters(10, 20, 30, 40, 2, 1, 0)));
        t.MmapLock(new MmapLockStatsDelta(new RwsemCounters(1, 2, 3, 4, 1, 0, 1)));
        t.WriterGranted(new MmapWriterGranted(WaitedNs: 500, ByProbeNs: 200));
        t.WriterGranted(new MmapWriterGranted(WaitedNs: 100, ByProbeNs: 0));
        t.VmaLock(new VmaLockTried(true));
        t.VmaLock(new VmaLockTried(false));
        t.DeferredRead(new DeferredReadChecked(Stale: true));
        t.DeferredRead(new DeferredReadChecked(Stale: false));

        var p = t.Snapshot().Policy;

        Assert.Equal(new LockStats(11, 22, 33, 44, 2, 3, 1, 1, 2, 1), p.Locks);
        Assert.Equal((2, 600, 200, 1), (p.Delay.WriterOps, p.Delay.WriterWaitNsTotal, p.Delay.WriterWaitByProbeNsTotal, p.Delay.WritersDelayedByProbe));
        Assert.Equal(100, p.Delay.WriterWaitByProbeNsPerOp);
        Assert.Equal((1, 2), (p.StaleReads, p.DeferredReads));
    }

    [Fact]
    public void LatencyPercentiles_ComeFromTheHistogram_AndTheSnapshotsHistogramIsACopy()
    {
        var t = new RunTally(SimTime.NsPerS);
        for (var i = 1; i <= 100; i++) t.Read(Read(i, "filename", null, latencyNs: i * 1_000));

        var m = t.Snapshot();
        t.Read(Read(200, "filename", null, latencyNs: 5_000_000));

        Assert.InRange(m.ProbeLatencyNs.P50, 49_000, 51_000);
        Assert.InRange(m.ProbeLatencyNs.Max, 99_000, 101_000);
        Assert.Equal(100, m.Policy.LatencyHistogram!.TotalCount);
    }
}
