using ActorKernel.Actors.Fork;
using ActorKernel.Actors.Locking;
using ActorKernel.Actors.Machine;
using ActorKernel.Actors.Memory;
using ActorKernel.Actors.Metrics;
using ActorKernel.Actors.Tasks;
using ActorKernel.Actors.Tests.Engine;
using ActorKernel.Actors.Tests.Scenarios;
using ActorKernel.Model;
using Akka.TestKit.Xunit2;

namespace ActorKernel.Actors.Tests.Fork;

/// <summary>ForkHandlerActor's protocol with the parent's mmap lock and mm (played by probes): one fork, start to end.</summary>
public sealed class ForkHandlerActorTests : TestKit
{
    [Fact]
    public void AFork_TakesTheWriteLock_CopiesEveryVma_ThenRepliesForkCopied_AndReleasesTheLock()
    {
        var costs = ForkExecRuns.Settings().Costs;
        var mm = CreateTestProbe();
        var sem = CreateTestProbe();
        var metrics = CreateTestProbe();
        var machine = CreateTestProbe();
        var parentTask = CreateTestProbe();
        var request = new SpawnRequest(new TaskBinding(1, mm.Ref, sem.Ref, CreateTestProbe().Ref, null, false, true), parentTask.Ref,
            SpawnKind.Fork, () => Array.Empty<TaskOp>());
        var owner = LockOwners.ForkHandler(1);
        using var h = SimHarness.Start(Sys, machine.Ref, sim => ForkHandlerActor.Props(sim, costs, request, owner, childMmId: 9, metrics.Ref));

        // copy_process() before copy_mm(): the lock is asked for only after the fork's base cost.
        h.Advance(costs.ForkBaseNs - 1);
        sem.ExpectNoMsg(TimeSpan.Zero);
        h.Advance(1);
        sem.ExpectMsg(new AcquireWrite(owner, h.Actor));

        h.Advance(500);
        h.Send(new LockGranted(owner, true, 500));
        Assert.Equal(9, mm.ExpectMsg<DupMmapBegin>().ChildMmId);
        h.Send(new DupMmapReady(1));
        mm.ExpectMsg<DupMmapNext>();
        var vma = new Vma(0x1000, 0x3000, VmaKind.AnonPrivate, VmaProt.Read, "heap");
        h.Send(new DupMmapStepped(new DupMmapStep(vma, PtesCopied: 2, PresentPtesSkipped: 0, false, false), Done: true));
        h.Advance(costs.ForkPerVmaNs + 2 * costs.ForkPerPteNs);
        mm.ExpectMsg<DupMmapTakeChild>();
        var child = new AddressSpace(9);
        h.Send(new DupMmapChild(child));

        sem.ExpectMsg(new ReleaseWrite(owner));
        var finished = metrics.ExpectMsg<ForkFinished>();
        Assert.Equal((costs.ForkPerVmaNs + 2 * costs.ForkPerPteNs, 500L, 1, 2), (finished.WriteLockHoldNs, finished.WriteLockWaitNs, finished.Vmas, finished.PtesCopied));
        var copied = machine.ExpectMsg<ForkCopied>();
        Assert.Same(child, copied.ChildMm);
        Assert.Same(request, copied.Request);
        Assert.Null(h.Sim.Failure);
    }
}
