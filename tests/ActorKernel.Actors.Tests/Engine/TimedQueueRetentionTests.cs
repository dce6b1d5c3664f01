using ActorKernel.Actors.Engine;
using Akka.Actor;

namespace ActorKernel.Actors.Tests.Engine;

/// <summary>
/// A lane's timed queue outlives its runs: after a run with a very large backlog the next run starts small again,
/// while a small backlog's arrays are kept for reuse; the order of delivery is the same either way.
/// </summary>
public sealed class TimedQueueRetentionTests
{
    private static readonly TimedEvent Event = new(ActorRefs.Nobody, "tick", null);

    private static long[] FillAndDrain(TimedQueue queue, int count)
    {
        for (var i = 0; i < count; i++) queue.Enqueue((i * 7919L) % 1000, (ulong)(i % 3), Event);
        var times = new long[count];
        for (var i = 0; i < count; i++)
        {
            Assert.True(queue.TryDequeue(out _, out var t));
            times[i] = t;
        }
        return times;
    }

    [Fact]
    public void Clear_AfterABacklogBeyondTheRetainedCapacity_StartsSmallAgain()
    {
        var queue = new TimedQueue();
        for (var i = 0; i < TimedQueue.RetainedCapacityMax + 1; i++) queue.Enqueue(i, 0, Event);
        Assert.True(queue.Capacity > TimedQueue.RetainedCapacityMax);

        queue.Clear();

        Assert.Equal(0, queue.Count);
        Assert.True(queue.Capacity <= 256, $"capacity {queue.Capacity} after Clear");
    }

    [Fact]
    public void Clear_AfterASmallBacklog_KeepsItsArrays()
    {
        var queue = new TimedQueue();
        FillAndDrain(queue, 5_000);
        var capacity = queue.Capacity;

        queue.Clear();

        Assert.Equal(capacity, queue.Capacity);
    }

    [Fact]
    public void OrderAfterATrim_IsTheOrderOfAFreshQueue()
    {
        var used = new TimedQueue();
        for (var i = 0; i < TimedQueue.RetainedCapacityMax + 1; i++) used.Enqueue(i, 0, Event);
        used.Clear();

        var times = FillAndDrain(used, 10_000);

        Assert.Equal(FillAndDrain(new TimedQueue(), 10_000), times);
        Assert.Equal(times.Order(), times);
    }
}
