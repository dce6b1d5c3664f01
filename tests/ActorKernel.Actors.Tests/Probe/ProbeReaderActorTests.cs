using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Cpu;
using ActorKernel.Actors.Engine;
using ActorKernel.Actors.Locking;
using ActorKernel.Actors.Memory;
using ActorKernel.Actors.Metrics;
using ActorKernel.Actors.Probe;
using ActorKernel.Actors.Tests.Scenarios;
using ActorKernel.Model;
using Akka.Actor;
using Akka.TestKit;

namespace ActorKernel.Actors.Tests.Probe;

/// <summary>
/// The probe program's protocol, one actor on a lane with test probes as its mm, CPU, mmap lock
/// and metrics: what it asks for at each step, for each kind of policy description.
/// </summary>
public sealed class ProbeReaderActorTests : Akka.TestKit.Xunit2.TestKit
{
    private const int TaskId = 7;
    private const int Cpu = 3;
    private const ulong FilenameAddr = 0x40_5000;
    private static readonly long Owner = LockOwners.ProbeBase + Cpu;

    private readonly ActorKernelSettings _settings = ForkExecRuns.Settings();
    private readonly TestProbe _mm, _cpu, _sem, _metrics;
    private SimRun? _run;
    private IActorRef _reader = ActorRefs.Nobody;

    public ProbeReaderActorTests()
    {
        _mm = CreateTestProbe("mm");
        _cpu = CreateTestProbe("cpu");
        _sem = CreateTestProbe("mmap-sem");
        _metrics = CreateTestProbe("metrics");
    }

    private SimRun Start(ProbePolicy policy)
    {
        var lane = new SimLane(Sys, 0);
        Action<IActorRef> created = r => _reader = r;
        _run = lane.Start(sim => Props.Create(() => new ReaderHost(sim, ProbeReaderActor.Props(sim, _settings, policy, _metrics.Ref, Cpu), created)),
            1, _settings.Engine.Interleaving, 10_000);
        _run.Drain();
        return _run;
    }

    protected override void Dispose(bool disposing)
    {
        _run?.Dispose();
        base.Dispose(disposing);
    }

    // Deliver what is queued and every timed event of the next millisecond (far more than any cost).
    private void Settle() => _run!.Advance(1_000_000);

    private void Send(object message)
    {
        _reader.Tell(message);
        Settle();
    }

    private TracepointHit Hit(Tracepoint point, params PlannedRead[] reads) =>
        new(point, new ProbeReadPlan(reads), TaskId, _mm.Ref, _cpu.Ref, _sem.Ref);

    private static PlannedRead Filename => new(ProbeTargets.Filename, FilenameAddr, 14);

    private ProbeWalk WalkFails(FailureCause cause)
    {
        var walk = _mm.ExpectMsg<ProbeWalk>();
        Send(new ProbeWalkResult(walk.ReadId, new ProbeReadResult(false, cause, walk.Addr, 1)));
        return walk;
    }

    private void ExpectProgramDone()
    {
        _metrics.ExpectMsg<ProbeProgramTimed>();
        Assert.Equal(TaskId, _cpu.ExpectMsg<ProbeProgramDone>().TaskId);
    }

    [Fact]
    public void NoLock_AFailedWalkFailsTheRead_WithoutTouchingAnyLock()
    {
        Start(ProbePolicy.NoFault);
        Send(Hit(Tracepoint.SysEnterExecve, Filename));
        var walk = WalkFails(FailureCause.NotMapped);
        Assert.Equal((FilenameAddr, 14), (walk.Addr, walk.LengthBytes));
        var read = _metrics.ExpectMsg<ProbeReadCompleted>();
        Assert.Equal(("sys_enter_execve", "nofault", "filename", false, FailureCause.NotMapped), (read.Attach, read.Policy, read.Target, read.Ok, read.Cause));
        ExpectProgramDone();
        _sem.ExpectNoMsg(TimeSpan.Zero);
        _mm.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void MmapTrylock_Acquired_ResolvesMinorFaultsInPlace_ThenReleases()
    {
        Start(ProbePolicy.TrylockMinor);
        Send(Hit(Tracepoint.SysEnterExecve, Filename));
        WalkFails(FailureCause.NotMapped);
        Assert.Equal(Owner, _sem.ExpectMsg<TryAcquireRead>().Owner);
        Send(new TryLockResult(Owner, Acquired: true));
        var inPlace = _mm.ExpectMsg<ProbeInPlaceRead>();
        Assert.Equal(InPlaceRules.MinorOnly(_settings.Probe.AllowAlloc), inPlace.Rules);
        Send(new ProbeInPlaceResult(inPlace.ReadId, new InPlaceReadResult(true, null, 1, Array.Empty<FaultOutcome>()), 500, VmaLockHeld: false));
        Assert.Equal(Owner, _sem.ExpectMsg<ReleaseRead>().Owner);
        Assert.True(_metrics.ExpectMsg<ProbeReadCompleted>().Ok);
        ExpectProgramDone();
    }

    [Fact]
    public void MmapTrylock_Contended_FailsWithoutWaitingOrReleasing()
    {
        Start(ProbePolicy.TrylockMinor);
        Send(Hit(Tracepoint.SysEnterExecve, Filename));
        WalkFails(FailureCause.NotMapped);
        _sem.ExpectMsg<TryAcquireRead>();
        Send(new TryLockResult(Owner, Acquired: false));
        Assert.Equal(FailureCause.MmapLockContended, _metrics.ExpectMsg<ProbeReadCompleted>().Cause);
        ExpectProgramDone();
        _sem.ExpectNoMsg(TimeSpan.Zero);
        _mm.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void MmapBlocking_WaitsForTheLock_AndResolvesEveryFault()
    {
        Start(ProbePolicy.Sleepable);
        Send(Hit(Tracepoint.SysEnterExecve, Filename));
        WalkFails(FailureCause.NotMapped);
        Assert.Equal(Owner, _sem.ExpectMsg<AcquireRead>().Owner);
        Send(new LockGranted(Owner, Write: false, WaitedNs: 1000));
        var inPlace = _mm.ExpectMsg<ProbeInPlaceRead>();
        Assert.Equal(InPlaceRules.Full, inPlace.Rules);
        Send(new ProbeInPlaceResult(inPlace.ReadId, new InPlaceReadResult(true, null, 1, Array.Empty<FaultOutcome>()), 50_000, VmaLockHeld: false));
        _sem.ExpectMsg<ReleaseRead>();
        Assert.Equal("sleepable", _metrics.ExpectMsg<ProbeReadCompleted>().Policy);
        ExpectProgramDone();
    }

    [Fact]
    public void VmaTrylock_AsksTheMmForTheVmaLock_NeverTheMmapLock()
    {
        Start(ProbePolicy.TrylockVma);
        Send(Hit(Tracepoint.SysEnterExecve, Filename));
        WalkFails(FailureCause.NotMapped);
        var vmaRead = _mm.ExpectMsg<ProbeVmaRead>();
        Assert.Equal(FilenameAddr, vmaRead.Addr);
        Send(new ProbeInPlaceResult(vmaRead.ReadId, new InPlaceReadResult(true, null, 1, Array.Empty<FaultOutcome>()), 500, VmaLockHeld: true));
        Assert.Equal(FilenameAddr, _mm.ExpectMsg<ProbeVmaReadEnd>().Addr);
        Assert.True(_metrics.ExpectMsg<ProbeReadCompleted>().Ok);
        ExpectProgramDone();
        _sem.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void VmaTrylock_WriteLockedVma_FailsWithItsCause_AndHoldsNothing()
    {
        Start(ProbePolicy.TrylockVma);
        Send(Hit(Tracepoint.SysEnterExecve, Filename));
        WalkFails(FailureCause.NotMapped);
        var vmaRead = _mm.ExpectMsg<ProbeVmaRead>();
        Send(new ProbeInPlaceResult(vmaRead.ReadId, new InPlaceReadResult(false, FailureCause.VmaLocked, 1, Array.Empty<FaultOutcome>()), 0, VmaLockHeld: false));
        Assert.Equal(FailureCause.VmaLocked, _metrics.ExpectMsg<ProbeReadCompleted>().Cause);
        ExpectProgramDone();
        _mm.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void DependentReads_FollowASuccessfulRead_AndAreCountedAsSkippedAfterAFailedOne()
    {
        Start(ProbePolicy.NoFault);
        var strings = new[] { new PlannedRead(ProbeTargets.Argv, 0x40_5100, 5), new PlannedRead(ProbeTargets.Argv, 0x40_5105, 7) };
        var array = new PlannedRead(ProbeTargets.ArgvArray, 0x7ffe_0000, 24) { Then = strings };

        Send(Hit(Tracepoint.SysEnterExecve, array));
        WalkFails(FailureCause.ForkSkippedPte);
        _metrics.ExpectMsg<ProbeReadCompleted>();
        Assert.Equal(new ProbeReadSkipped(ProbeTargets.Argv, 2), _metrics.ExpectMsg<ProbeReadSkipped>());
        ExpectProgramDone();
        _mm.ExpectNoMsg(TimeSpan.Zero);

        Send(Hit(Tracepoint.SysEnterExecve, array));
        var walk = _mm.ExpectMsg<ProbeWalk>();
        Send(new ProbeWalkResult(walk.ReadId, new ProbeReadResult(true, null, 0, 1)));
        _metrics.ExpectMsg<ProbeReadCompleted>();
        Assert.Equal(0x40_5100UL, _mm.ExpectMsg<ProbeWalk>().Addr);
    }

    [Fact]
    public void SyscallHit_ReadsEachDeclaredPointer_AndNamesItsAttachPoint()
    {
        Start(ProbePolicy.NoFault);
        Send(Hit(Tracepoint.SysEnterWrite, new PlannedRead("idle-buffer", 0x7fff_e000_0000, 64)));
        var walk = _mm.ExpectMsg<ProbeWalk>();
        Send(new ProbeWalkResult(walk.ReadId, new ProbeReadResult(true, null, 0, 1)));
        var read = _metrics.ExpectMsg<ProbeReadCompleted>();
        Assert.Equal(("sys_enter_write", "idle-buffer", true), (read.Attach, read.Target, read.Ok));
        ExpectProgramDone();
    }

    [Fact]
    public void Deferred_RemembersTheCallAtEntry_AndReadsTheKernelsCopyAtTheLaterPoint()
    {
        Start(ProbePolicy.Deferred);
        var args = new ExecveArgs(new UserString(FilenameAddr, 14), 0x7ffe_0000, [new UserString(0x40_5100, 5)])
        {
            FilenameText = "/usr/bin/true",
            ArgvText = ["true"],
        };
        var entry = new TracepointHit(Tracepoint.SysEnterExecve, args.ReadPlan(_settings.Probe.MaxArgv), TaskId, _mm.Ref, _cpu.Ref, _sem.Ref);
        Send(entry);
        Assert.Equal(TaskId, _cpu.ExpectMsg<ProbeProgramDone>().TaskId);
        _mm.ExpectNoMsg(TimeSpan.Zero);
        _metrics.ExpectNoMsg(TimeSpan.Zero);

        Send(new TracepointHit(Tracepoint.SchedProcessExec, ProbeReadPlan.None, TaskId, ActorRefs.Nobody, _cpu.Ref));
        var reads = new List<ProbeReadCompleted>();
        var checks = new List<DeferredReadChecked>();
        for (var i = 0; i < 5; i++)
        {
            var m = _metrics.ExpectMsg<object>();
            if (m is ProbeReadCompleted r) reads.Add(r);
            else checks.Add(Assert.IsType<DeferredReadChecked>(m));
        }
        Assert.Equal(["filename", "argv-array", "argv"], reads.Select(r => r.Target));
        Assert.All(reads, r => Assert.Equal(("sched_process_exec", "deferred", true), (r.Attach, r.Policy, r.Ok)));
        Assert.Equal([false, false], checks.Select(c => c.Stale));
        ExpectProgramDone();
        _mm.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void Deferred_AtAnAttachPointWithoutALaterPoint_FailsTheRunLoudly()
    {
        var run = Start(ProbePolicy.Deferred);
        Send(Hit(Tracepoint.SysEnterWrite, new PlannedRead("idle-buffer", 0x7fff_e000_0000, 64)));
        Assert.True(run.IsCompleted);
        Assert.Contains("policy deferred at sys_enter_write: the hit declares reads but no deferred read point", run.Context.Failure);
    }

    /// <summary>The run's root: creates the probe program and hands it to the test.</summary>
    private sealed class ReaderHost : SimRootActor
    {
        private readonly Props _reader;
        private readonly Action<IActorRef> _created;

        public ReaderHost(SimContext sim, Props reader, Action<IActorRef> created) : base(sim)
        {
            _reader = reader;
            _created = created;
        }

        protected override void PreStart()
        {
            base.PreStart();
            _created(Context.ActorOf(_reader, "probe"));
        }

        // The test drives time; nothing reaches the root but the engine's idle notice.
        protected override void OnRootMessage(object message)
        {
        }
    }
}
