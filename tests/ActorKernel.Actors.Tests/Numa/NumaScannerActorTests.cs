using ActorKernel.Actors.Cpu;
using ActorKernel.Actors.Locking;
using ActorKernel.Actors.Memory;
using ActorKernel.Actors.Metrics;
using ActorKernel.Actors.Numa;
using ActorKernel.Actors.Tests.Engine;
using ActorKernel.Actors.Tests.Scenarios;
using ActorKernel.Model;
using Akka.TestKit.Xunit2;

namespace ActorKernel.Actors.Tests.Numa;

/// <summary>NumaScannerActor's protocol (kernel 6.18: mmap_read_trylock): ticks charge runtime, the winning thread's pass takes the lock and walks the mm.</summary>
public sealed class NumaScannerActorTests : TestKit
{
    private const int MmId = 6;

    private (SimHarness H, Akka.TestKit.TestProbe Mm, Akka.TestKit.TestProbe Sem, Akka.TestKit.TestProbe Metrics) Start()
    {
        var (mm, sem, metrics) = (CreateTestProbe(), CreateTestProbe(), CreateTestProbe());
        var settings = ForkExecRuns.Settings("kernel.profile=\"6.18\"");
        var h = SimHarness.Start(Sys, CreateTestProbe().Ref, sim => NumaScannerActor.Props(sim, settings, MmId, mm.Ref, sem.Ref, metrics.Ref, threads: 1));
        return (h, mm, sem, metrics);
    }

    // The first scan is due scan_delay (1 s) after the mm exists; a tick with enough runtime after it starts a pass.
    private static void TickAfterScanDelay(SimHarness h)
    {
        h.Advance(SimTime.SToNs(2));
        h.Send(new SchedTickCharged(1, SimTime.SToNs(2), CpuNode: 0));
    }

    [Fact]
    public void APassWhoseTrylockFails_IsSkipped_AndReportedAsLockBusy()
    {
        var (h, mm, sem, metrics) = Start();
        using var _h = h;
        TickAfterScanDelay(h);

        var owner = LockOwners.NumaScanner(MmId);
        sem.ExpectMsg(new TryAcquireRead(owner, h.Actor));
        h.Send(new TryLockResult(owner, false));

        var pass = metrics.ExpectMsg<NumaScanPassFinished>();
        Assert.Equal((MmId, 1, true, 0), (pass.MmId, pass.TaskId, pass.SkippedLockBusy, pass.PtesUpdated));
        mm.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void APassUnderTheReadLock_WalksTheMmChunkByChunk_ThenReleasesTheLock()
    {
        var (h, mm, sem, metrics) = Start();
        using var _h = h;
        TickAfterScanDelay(h);
        var owner = LockOwners.NumaScanner(MmId);
        sem.ExpectMsg<TryAcquireRead>();

        h.Send(new TryLockResult(owner, true));
        Assert.Equal(1, mm.ExpectMsg<NumaScanBegin>().TaskId);
        h.Send(new NumaScanReady(ScanSeq: 3));
        mm.ExpectMsg<NumaScanNext>();
        h.Send(new NumaScanStepped(new NumaScanChunk("heap", 0x1000, 0x9000, PtesUpdated: 8, Done: true)));
        sem.ExpectNoMsg(TimeSpan.Zero);
        h.Advance(SimTime.MsToNs(1));

        sem.ExpectMsg(new ReleaseRead(owner));
        var pass = metrics.ExpectMsg<NumaScanPassFinished>();
        Assert.Equal((8, 3, false), (pass.PtesUpdated, pass.ScanSeq, pass.SkippedLockBusy));
        Assert.True(pass.EndNs > pass.StartNs);
    }

    [Fact]
    public void AnUnexpectedMessage_FailsTheRun_NamingTheScannerAndTheMessage()
    {
        var (h, _, _, _) = Start();
        using var _h = h;
        h.Send(new AccessNeedsLock(0x42));
        Assert.Contains("under-test received an unexpected AccessNeedsLock", h.Sim.Failure);
    }
}
