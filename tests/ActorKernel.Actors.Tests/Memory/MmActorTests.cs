using ActorKernel.Actors.Memory;
using ActorKernel.Actors.Metrics;
using ActorKernel.Actors.Tasks;
using ActorKernel.Actors.Tests.Engine;
using ActorKernel.Actors.Tests.Scenarios;
using ActorKernel.Model;
using Akka.Actor;
using Akka.TestKit.Xunit2;

namespace ActorKernel.Actors.Tests.Memory;

/// <summary>MmActor's protocol: probe walks, faulting user accesses under the mmap lock, writers and the per-VMA locks, the page-table view.</summary>
public sealed class MmActorTests : TestKit
{
    private const ulong Heap = 0x5555_0000_0000;

    private (SimHarness H, Akka.TestKit.TestProbe Metrics) Start()
    {
        var mm = new AddressSpace(4);
        mm.AddVma(new Vma(Heap, Heap + 4 * (ulong)Pages.Size, VmaKind.AnonPrivate, VmaProt.Read | VmaProt.Write, "[heap]"));
        mm.MmUsers = 1;
        var metrics = CreateTestProbe();
        var settings = ForkExecRuns.Settings();
        return (SimHarness.Start(Sys, CreateTestProbe().Ref, sim => MmActor.Props(sim, mm, settings, metrics.Ref)), metrics);
    }

    [Fact]
    public void AProbeWalk_OfAnUntouchedPage_FailsNotMapped_AndFaultsNothing()
    {
        var (h, metrics) = Start();
        using var _h = h;
        var reader = CreateTestProbe();

        h.Send(new ProbeWalk(Heap, 8, ReadId: 5, reader.Ref));

        var r = reader.ExpectMsg<ProbeWalkResult>();
        Assert.Equal((5, false, FailureCause.NotMapped), (r.ReadId, r.Result.Ok, r.Result.Cause));
        metrics.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void AnAccessThatMustFault_AsksForTheLock_ThenFaultsUnderIt_AndAProbeWalkSucceedsAfter()
    {
        var (h, metrics) = Start();
        using var _h = h;
        var task = CreateTestProbe();

        h.Send(new UserAccess(Heap, 8, AccessKind.Write, LockHeld: false, task.Ref));
        task.ExpectMsg(new AccessNeedsLock(Heap));
        h.Send(new UserAccess(Heap, 8, AccessKind.Write, LockHeld: true, task.Ref));

        var done = task.ExpectMsg<AccessDone>();
        Assert.Equal((1, 0, (FaultKind?)null), (done.MinorFaults, done.MajorFaults, done.Error));
        Assert.False(metrics.ExpectMsg<FaultTaken>().Major);
        h.Send(new ProbeWalk(Heap, 8, 6, task.Ref));
        Assert.True(task.ExpectMsg<ProbeWalkResult>().Result.Ok);
    }

    [Fact]
    public void Munmap_WaitsForAProbeInsideTheVma_AndIsAppliedWhenItLeaves()
    {
        var (h, metrics) = Start();
        using var _h = h;
        var writer = CreateTestProbe();
        var probe = CreateTestProbe();
        h.Send(new MmapWriteApply(MmapWriteKind.Mmap, writer.Ref));
        writer.ExpectMsg(new MmapWriteApplied(MmapWriteKind.Mmap));
        h.Send(new MmapWriteEnd());
        h.Send(new ProbeVmaRead(ChurnArea.BaseAddr, 8, 1, InPlaceRules.Full, probe.Ref));
        Assert.True(probe.ExpectMsg<ProbeInPlaceResult>().VmaLockHeld);

        h.Send(new MmapWriteApply(MmapWriteKind.Munmap, writer.Ref));
        writer.ExpectNoMsg(TimeSpan.Zero);
        h.Send(new ProbeVmaReadEnd(ChurnArea.BaseAddr));

        writer.ExpectMsg(new MmapWriteApplied(MmapWriteKind.Munmap));
        h.Send(new ProbeWalk(ChurnArea.BaseAddr, 8, 2, probe.Ref));
        Assert.Equal(FailureCause.BadAddress, probe.ExpectMsg<ProbeWalkResult>().Result.Cause);
        Assert.True(SimHarness.Received<VmaLockTried>(metrics).Single().Acquired);
    }

    [Fact]
    public void AProbeFindsAVmaWriteLockedByAWriter_VmaLocked_UntilTheWriterReleasesTheMmapLock()
    {
        var (h, _) = Start();
        using var _h = h;
        var writer = CreateTestProbe();
        var probe = CreateTestProbe();
        h.Send(new MmapWriteApply(MmapWriteKind.Brk, writer.Ref));
        writer.ExpectMsg<MmapWriteApplied>();

        h.Send(new ProbeVmaRead(Heap, 8, 1, InPlaceRules.Full, probe.Ref));
        Assert.Equal(FailureCause.VmaLocked, probe.ExpectMsg<ProbeInPlaceResult>().Result.Cause);

        h.Send(new MmapWriteEnd());
        h.Send(new ProbeVmaRead(Heap, 8, 2, InPlaceRules.Full, probe.Ref));
        Assert.True(probe.ExpectMsg<ProbeInPlaceResult>().VmaLockHeld);
    }

    [Fact]
    public void DescribePageTable_AnswersWithTheViewAtTheVirtualTime()
    {
        var (h, _) = Start();
        using var _h = h;
        var asker = CreateTestProbe();
        h.Advance(1_234);

        h.Send(new DescribePageTable(asker.Ref));

        var snap = asker.ExpectMsg<PageTableSnapshot>();
        Assert.Equal((1_234L, 4, 4), (snap.AtNs, snap.MmId, snap.Rows.Count));
        Assert.All(snap.Rows, r => Assert.Equal(("[heap]", PteState.None, -1), (r.VmaName, r.State, r.HomeNode)));
    }

    [Fact]
    public void TheLastMmPut_ReleasesTheAddressSpace_AndStopsTheActor()
    {
        var (h, _) = Start();
        using var _h = h;
        var watcher = CreateTestProbe();
        h.Send(new MmGet());
        h.Send(new MmPut());
        watcher.Send(h.Actor, new Identify(1));
        h.Run.Drain();
        Assert.NotNull(watcher.ExpectMsg<ActorIdentity>().Subject);

        h.Send(new MmPut());

        watcher.Send(h.Actor, new Identify(2));
        h.Run.Drain();
        Assert.Null(watcher.ExpectMsg<ActorIdentity>().Subject);
    }
}
