using ActorKernel.Actors.Locking;
using ActorKernel.Actors.Metrics;
using ActorKernel.Actors.Tests.Engine;
using Akka.TestKit.Xunit2;

namespace ActorKernel.Actors.Tests.Locking;

/// <summary>MmapSemActor's protocol: requests in, LockGranted/TryLockResult out, statistics to the metrics actor.</summary>
public sealed class MmapSemActorTests : TestKit
{
    private const long Probe = LockOwners.ProbeBase + 0;

    private (SimHarness H, Akka.TestKit.TestProbe Metrics) Start()
    {
        var metrics = CreateTestProbe();
        var h = SimHarness.Start(Sys, CreateTestProbe().Ref, sim => MmapSemActor.Props(sim, mmId: 1, handoffWaitNs: 4_000_000, metrics.Ref));
        return (h, metrics);
    }

    [Fact]
    public void AQueuedWriter_IsGranted_AfterTheLastReaderReleases_WithItsWait()
    {
        var (h, _) = Start();
        using var _h = h;
        var reader1 = CreateTestProbe();
        var reader2 = CreateTestProbe();
        var writer = CreateTestProbe();
        h.Send(new AcquireRead(1, reader1.Ref));
        h.Send(new AcquireRead(2, reader2.Ref));
        reader1.ExpectMsg(new LockGranted(1, false, 0));
        reader2.ExpectMsg(new LockGranted(2, false, 0));

        h.Send(new AcquireWrite(3, writer.Ref));
        h.Advance(100);
        h.Send(new ReleaseRead(1));
        writer.ExpectNoMsg(TimeSpan.Zero);
        h.Advance(50);
        h.Send(new ReleaseRead(2));

        writer.ExpectMsg(new LockGranted(3, true, 150));
    }

    [Fact]
    public void TrylockFails_WhileAWriterHolds_AndTheFailureIsReported()
    {
        var (h, metrics) = Start();
        using var _h = h;
        var writer = CreateTestProbe();
        var probe = CreateTestProbe();
        h.Send(new AcquireWrite(3, writer.Ref));
        writer.ExpectMsg<LockGranted>();

        h.Send(new TryAcquireRead(Probe, probe.Ref));

        probe.ExpectMsg(new TryLockResult(Probe, false));
        var deltas = SimHarness.Received<MmapLockStatsDelta>(metrics);
        Assert.Equal(1, deltas.Sum(d => d.Delta.TrylockFailures));
        Assert.Equal(1, deltas.Sum(d => d.Delta.TrylockAttempts));
    }

    [Fact]
    public void AWriterQueuedBehindAProbe_IsToldHowLongTheProbeHeldItUp()
    {
        var (h, metrics) = Start();
        using var _h = h;
        var probe = CreateTestProbe();
        var writer = CreateTestProbe();
        h.Send(new TryAcquireRead(Probe, probe.Ref));
        probe.ExpectMsg(new TryLockResult(Probe, true));
        h.Send(new AcquireWrite(3, writer.Ref));
        h.Advance(700);

        h.Send(new ReleaseRead(Probe));

        writer.ExpectMsg(new LockGranted(3, true, 700));
        Assert.Equal(new MmapWriterGranted(700, 700), SimHarness.Received<MmapWriterGranted>(metrics).Single());
    }

    [Fact]
    public void AnUnexpectedMessage_FailsTheRun_NamingTheLock()
    {
        var (h, _) = Start();
        using var _h = h;
        h.Send(new TryLockResult(1, true));
        Assert.Contains("under-test received an unexpected TryLockResult", h.Sim.Failure);
    }
}
