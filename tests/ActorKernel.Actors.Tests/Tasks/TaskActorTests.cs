using ActorKernel.Actors.Locking;
using ActorKernel.Actors.Machine;
using ActorKernel.Actors.Memory;
using ActorKernel.Actors.Metrics;
using ActorKernel.Actors.Tasks;
using ActorKernel.Actors.Tests.Engine;
using ActorKernel.Actors.Tests.Scenarios;
using ActorKernel.Model;
using Akka.TestKit.Xunit2;

namespace ActorKernel.Actors.Tests.Tasks;

/// <summary>TaskActor's protocol with its mm, its mmap lock and the machine (probes): accesses that fault under the lock, mmap-lock writers, exit.</summary>
public sealed class TaskActorTests : TestKit
{
    private const int TaskId = 5;
    private const ulong Addr = 0x5555_0000_0000;

    private (SimHarness H, Akka.TestKit.TestProbe Mm, Akka.TestKit.TestProbe Sem, Akka.TestKit.TestProbe Machine, Akka.TestKit.TestProbe Metrics) Start(params TaskOp[] program)
    {
        var (mm, sem, machine, metrics) = (CreateTestProbe(), CreateTestProbe(), CreateTestProbe(), CreateTestProbe());
        var binding = new TaskBinding(TaskId, mm.Ref, sem.Ref, CreateTestProbe().Ref, Parent: null, IsVforkChild: false, IsWorkloadMain: true);
        var settings = ForkExecRuns.Settings();
        var h = SimHarness.Start(Sys, CreateTestProbe().Ref, sim => TaskActor.Props(sim, settings, binding, machine.Ref, metrics.Ref, program));
        return (h, mm, sem, machine, metrics);
    }

    [Fact]
    public void AnAccessThatNeedsAFault_TakesTheReadLock_HoldsItAcrossTheFault_ThenReleasesIt()
    {
        var (h, mm, sem, machine, _) = Start(new TouchOp(Addr, 8, AccessKind.Write));
        using var _h = h;

        h.Send(new TaskStart());
        Assert.False(mm.ExpectMsg<UserAccess>().LockHeld);
        h.Send(new AccessNeedsLock(Addr));
        sem.ExpectMsg(new AcquireRead(TaskId, h.Actor));
        h.Send(new LockGranted(TaskId, false, 0));
        var retry = mm.ExpectMsg<UserAccess>();
        Assert.Equal((Addr, true, TaskId), (retry.Addr, retry.LockHeld, retry.TaskId));

        h.Send(new AccessDone(Addr, CostNs: 300, 1, 0, null));
        h.Advance(299);
        sem.ExpectNoMsg(TimeSpan.Zero);
        h.Advance(1);

        sem.ExpectMsg(new ReleaseRead(TaskId));
        mm.ExpectMsg<MmPut>();
        machine.ExpectMsg(new TaskExited(TaskId, true));
        Assert.Null(h.Sim.Failure);
    }

    [Fact]
    public void AnMmapWriter_WaitsForTheWriteLock_AppliesItsChange_HoldsIt_ThenUnlocksVmasAndTheLock()
    {
        var (h, mm, sem, _, metrics) = Start(new MmapWriteOp(MmapWriteKind.Munmap, HoldNs: 1_000));
        using var _h = h;

        h.Send(new TaskStart());
        sem.ExpectMsg(new AcquireWrite(TaskId, h.Actor));
        h.Advance(200);
        h.Send(new LockGranted(TaskId, true, 200));

        metrics.ExpectMsg(new ChurnOpDone(MmapWriteKind.Munmap, 200));
        mm.ExpectMsg(new MmapWriteApply(MmapWriteKind.Munmap, h.Actor));
        h.Send(new MmapWriteApplied(MmapWriteKind.Munmap));
        h.Advance(999);
        sem.ExpectNoMsg(TimeSpan.Zero);
        h.Advance(1);
        mm.ExpectMsg<MmapWriteEnd>();
        sem.ExpectMsg(new ReleaseWrite(TaskId));
    }

    [Fact]
    public void AnUnexpectedMessage_FailsTheRun_NamingTheTaskAndTheMessage()
    {
        var (h, _, _, _, _) = Start(new BlockForeverOp());
        using var _h = h;
        h.Send(new TaskStart());
        h.Send(new TryLockResult(TaskId, true));
        Assert.Contains("under-test received an unexpected TryLockResult", h.Sim.Failure);
        Assert.Contains("seed 1", h.Sim.Failure);
    }
}
