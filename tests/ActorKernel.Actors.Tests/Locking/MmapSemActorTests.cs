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

    // 6.8/6.18 kernel/locking/rwsem.c rwsem_optimistic_spin(): the writer spins on the reader (rwsem_rspin_threshold():
    // 10.5 us for one reader) without queueing, so a probe's trylock succeeds meanwhile; past the threshold it queues
    // (the actor's own timer) and trylocks fail; its wait, spin included, is reported when it gets the lock.
    [Fact]
    public void AWriterSpinningOnReaders_LetsTrylocksIn_UntilItsThresholdPasses()
    {
        var metrics = CreateTestProbe();
        using var h = SimHarness.Start(Sys, CreateTestProbe().Ref,
            sim => MmapSemActor.Props(sim, mmId: 1, handoffWaitNs: 4_000_000, metrics.Ref, writerSpinsOnReaders: true));
        var reader = CreateTestProbe();
        var writer = CreateTestProbe();
        var probe = CreateTestProbe();
        h.Send(new AcquireRead(1, reader.Ref));
        reader.ExpectMsg<LockGranted>();
        h.Send(new AcquireWrite(3, writer.Ref));

        h.Advance(10_000);
        h.Send(new TryAcquireRead(Probe, probe.Ref));
        probe.ExpectMsg(new TryLockResult(Probe, true));
        h.Send(new ReleaseRead(Probe));

        h.Advance(1_000);
        h.Send(new TryAcquireRead(Probe, probe.Ref));
        probe.ExpectMsg(new TryLockResult(Probe, false));

        h.Send(new ReleaseRead(1));
        writer.ExpectMsg(new LockGranted(3, true, 11_000));
    }

    [Fact]
    public void WithoutSpinning_AWriterQueuesAtOnce_AndTrylocksFail()
    {
        var (h, _) = Start();
        using var _h = h;
        var reader = CreateTestProbe();
        var writer = CreateTestProbe();
        var probe = CreateTestProbe();
        h.Send(new AcquireRead(1, reader.Ref));
        reader.ExpectMsg<LockGranted>();
        h.Send(new AcquireWrite(3, writer.Ref));
        h.Send(new TryAcquireRead(Probe, probe.Ref));
        probe.ExpectMsg(new TryLockResult(Probe, false));
    }
}
