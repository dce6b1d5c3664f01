namespace ActorKernel.Model.Tests.Locking;

public class WriterWaitByProbeTests
{
    private static readonly RwsemWaiter Writer = new(10, true, new SimTime(0));
    private static readonly RwsemWaiter Reader = new(11, false, new SimTime(0));

    [Fact]
    public void OnlyTheTimeAProbeHeldTheLock_IsChargedToTheQueuedWriter()
    {
        var w = new WriterWaitByProbe();
        w.Accrue(0, Array.Empty<RwsemWaiter>());
        w.WriterQueued(Writer.Owner);
        w.Accrue(100, new[] { Writer, Reader });   // no probe: nothing charged
        w.ProbeAcquiredRead();
        w.Accrue(250, new[] { Writer, Reader });   // a probe held it for 150 ns
        w.ProbeReleasedRead();
        w.Accrue(400, new[] { Writer });           // released: not charged

        Assert.Equal(150, w.WriterGranted(Writer.Owner));
        Assert.Equal(0, w.ProbeReaders);
    }

    [Fact]
    public void AWriterGrantedAtOnce_WaitedZeroForProbes()
    {
        Assert.Equal(0, new WriterWaitByProbe().WriterGranted(7));
    }

    [Fact]
    public void ReleasingAProbeHoldThatWasNotTaken_BreaksAnInvariant()
    {
        Assert.Throws<ModelInvariantException>(() => new WriterWaitByProbe().ProbeReleasedRead());
    }

    [Fact]
    public void TimeGoingBackwards_BreaksAnInvariant()
    {
        var w = new WriterWaitByProbe();
        w.Accrue(10, Array.Empty<RwsemWaiter>());
        Assert.Throws<ModelInvariantException>(() => w.Accrue(5, Array.Empty<RwsemWaiter>()));
    }
}
