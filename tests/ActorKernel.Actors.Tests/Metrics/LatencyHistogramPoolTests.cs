using ActorKernel.Actors.Metrics;
using HdrHistogram;

namespace ActorKernel.Actors.Tests.Metrics;

/// <summary>The per-thread spare latency histograms: reuse never carries counts over, and a histogram is never handed out twice.</summary>
public class LatencyHistogramPoolTests
{
    [Fact]
    public void AReturnedHistogram_ComesBackEmpty()
    {
        // This thread may hold spares from runs of other tests: take them all first (at most 4 are kept).
        for (var i = 0; i < 8; i++) LatencyHistogramPool.Rent();
        var h = LatencyHistogramPool.Rent();
        h.RecordValue(1_234);
        LatencyHistogramPool.Return(h);
        var again = LatencyHistogramPool.Rent();
        Assert.Same(h, again);
        Assert.Equal(0, again.TotalCount);
    }

    [Fact]
    public void ReturningTheSameHistogramTwice_DoesNotHandItOutTwice()
    {
        var h = LatencyHistogramPool.Rent();
        LatencyHistogramPool.Return(h);
        LatencyHistogramPool.Return(h);
        var first = LatencyHistogramPool.Rent();
        var second = LatencyHistogramPool.Rent();
        Assert.NotSame(first, second);
    }

    [Fact]
    public void AHistogramOfAnotherRange_IsNotPooled()
    {
        var other = new LongHistogram(1_000_000, 2);
        LatencyHistogramPool.Return(other);
        Assert.NotSame(other, LatencyHistogramPool.Rent());
    }

    [Fact]
    public void TallySnapshots_AreIndependentOfTheTallyAndOfEachOther_WhenSparesAreReused()
    {
        var t = new RunTally(1_000);
        t.Read(new ProbeReadCompleted(0, "sys_enter_execve", "nofault", "buf", 1, 0x1000, true, null, 100));
        var first = t.Snapshot().Policy.LatencyHistogram!;
        t.Read(new ProbeReadCompleted(1, "sys_enter_execve", "nofault", "buf", 1, 0x1000, true, null, 200));
        var second = t.Snapshot().Policy.LatencyHistogram!;
        Assert.Equal((1, 2), (first.TotalCount, second.TotalCount));
        t.Release();
        Assert.Equal((1, 2), (first.TotalCount, second.TotalCount));
    }
}
