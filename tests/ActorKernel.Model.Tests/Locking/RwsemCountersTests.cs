namespace ActorKernel.Model.Tests.Locking;

public class RwsemCountersTests
{
    [Fact]
    public void TheSemaphoresCounters_MinusTheLastReport_IsTheDelta_AndDeltasSumBack()
    {
        var sem = new RwSemaphore(handoffWaitNs: 1_000);
        sem.AcquireWrite(1, new SimTime(0));
        var first = sem.Counters;
        Assert.False(sem.TryAcquireRead(2, new SimTime(5)));
        sem.ReleaseWrite(1, new SimTime(30));
        var second = sem.Counters;

        var delta = second - first;

        Assert.Equal(new RwsemCounters(30, 0, 0, 0, 1, 1, 0), delta);
        Assert.Equal(second, first + delta);
    }
}
