namespace ActorKernel.Model.Tests.Sched;

/// <summary>A CPU's run queue: round-robin time slices, runtime charged at ticks.</summary>
public sealed class RunQueueTests
{
    [Fact]
    public void TwoBusyTasks_ShareTheCpuBySlices_AndEachAccruesRuntime()
    {
        var rq = new RunQueue(sliceNs: 4);
        Assert.True(rq.Enqueue(1, 100, 0));
        Assert.False(rq.Enqueue(2, 100, 0));
        var runtime = new long[3];
        for (long now = 4; now <= 80; now += 4)
        {
            var t = rq.Tick(now);
            runtime[t.TaskId] += t.ChargedNs;
        }
        Assert.Equal(40, runtime[1]);
        Assert.Equal(40, runtime[2]);
        Assert.True(rq.Switches >= 19);
    }

    [Fact]
    public void BurstUsedUp_TaskLeavesTheCpu()
    {
        var rq = new RunQueue(sliceNs: 4);
        rq.Enqueue(1, 6, 0);
        Assert.False(rq.Tick(4).BurstDone);
        var t = rq.Tick(8);
        Assert.True(t.BurstDone);
        Assert.Equal(2, t.ChargedNs);
        Assert.True(rq.IsIdle);
    }
}
