using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Metrics;
using ActorKernel.Model;

namespace ActorKernel.TestKit.Tests.Scenarios;

/// <summary>The typed builder, durations with units, richer programs and the Akka-style expectations.</summary>
public sealed class TypedApiTests : ScenarioTestKit
{
    [Fact]
    public void EveryKernelVersion_IsAShippedProfile_AndEveryProfileHasOne()
    {
        Assert.Equal(KernelProfiles.Names, Enum.GetValues<KernelVersion>().Select(v => v.ProfileName()));
    }

    [Theory]
    [InlineData(0L, "0 ns")]
    [InlineData(50L, "50 ns")]
    [InlineData(29_520L, "29.52 µs")]
    [InlineData(6_000_000L, "6 ms")]
    [InlineData(1_200_000_000L, "1.2 s")]
    public void DurationsPrintWithTheirUnit(long ns, string text) => Assert.Equal(text, ns.Nanoseconds().ToString());

    [Fact]
    public void TheTypedForkExecOptions_SetTheSameKeysAsTheTuples()
    {
        using var s = Scenario()
            .Kernel(KernelVersion.Linux6_18)
            .ForkExec(new ForkExecOptions
            {
                Spawn = SpawnMethod.PosixSpawn, Strings = StringsRegion.Rodata, ParentTouchesStrings = true, Execs = 1,
                StringsPlacement = StringsPlacement.FreshWindowPerExec, CycleInterval = 200.Microseconds(),
            })
            .Build();

        var f = s.Settings.Workload.ForkExec;
        Assert.Equal((SpawnMethod.PosixSpawn, true, 1, StringsPlacement.FreshWindowPerExec, 200L), (f.Spawn, f.ParentTouchesStrings, f.Execs, f.StringsPlacement, f.CycleIntervalUs));
        s.Finish();
    }

    [Fact]
    public void SeedCase1_Typed_FailsWithForkSkippedPte()
    {
        using var s = Scenario()
            .ForkExec(new ForkExecOptions { Spawn = SpawnMethod.Fork, Strings = StringsRegion.Rodata, ParentTouchesStrings = true, Execs = 1 })
            .Build();

        s.Within(1.Milliseconds(), () => s.ExpectProbeReadFailure(ProbeTargets.Filename, FailureCause.ForkSkippedPte));
        s.ExpectProbeReadOk(ProbeTargets.ArgvArray);
        // Reads already expected to fail do not count.
        Assert.Throws<ScenarioExpectationException>(() => s.ExpectNoProbeReadFailure());
    }

    [Fact]
    public void ExpectNoProbeReadFailure_CountsOnlyReadsNotYetExpected()
    {
        using var s = Scenario()
            .ForkExec(new ForkExecOptions { Spawn = SpawnMethod.Fork, Strings = StringsRegion.Rodata, ParentTouchesStrings = true, Execs = 1, Argc = 1 })
            .Build();

        s.ExpectProbeReadFailure(ProbeTargets.Filename, FailureCause.ForkSkippedPte);
        s.ExpectProbeReadOk(ProbeTargets.ArgvArray);
        s.ExpectProbeReadFailure(ProbeTargets.Argv, FailureCause.ForkSkippedPte);
        s.ExpectNoProbeReadFailure();
    }

    [Fact]
    public void FishForProbeRead_SkipsReadsUntilOneMatches()
    {
        using var s = Scenario().ForkExec(("execs", "1")).Build();

        var argv = s.FishForProbeRead(r => r.Target == ProbeTargets.Argv, "of argv");

        Assert.Equal(3, s.ProbeReads.TakeWhile(r => r != argv).Count() + 1);
    }

    [Fact]
    public void Within_FailsWhenTheExpectationTakesLonger_SayingHowLong()
    {
        using var s = Scenario()
            .Process(p => p.String("path", RegionKind.Rodata, 5, "/usr/bin/true").PointerArray("argv", RegionKind.Stack, 28, "path")
                .Thread(t => t.Sleep(2.Milliseconds()).Vfork(c => c.Exec("path", "argv")).WaitChild()))
            .Build();

        var e = Assert.Throws<ScenarioExpectationException>(() => s.Within(1.Milliseconds(), () => s.ExpectProbeRead()));

        Assert.StartsWith("expected a probe read, but the time was up at ", e.Message);
        Assert.Contains("(Within, by 1 ms)", e.Message);
    }

    [Fact]
    public void ExpectNoProbeRead_ForADuration()
    {
        using var s = Scenario()
            .Process(p => p.String("path", RegionKind.Rodata, 5, "/usr/bin/true").PointerArray("argv", RegionKind.Stack, 28, "path")
                .Thread(t => t.Sleep(2.Milliseconds()).Vfork(c => c.Exec("path", "argv")).WaitChild()))
            .Build();

        s.ExpectNoProbeRead(1.Milliseconds());
        Assert.Equal(1.Milliseconds(), s.Now);
        var e = Assert.Throws<ScenarioExpectationException>(() => s.ExpectNoProbeRead(5.Milliseconds(), r => r.Target == ProbeTargets.Filename, "of filename"));
        Assert.StartsWith("expected no probe read of filename for 5 ms, but the read of filename", e.Message);
    }

    [Fact]
    public void RepeatSignalAndWaitFor_OrderThreads()
    {
        using var s = Scenario()
            .Process(p => p
                .String("path", RegionKind.Rodata, 5, "/usr/bin/true")
                .PointerArray("argv", RegionKind.Stack, 28, "path")
                .Thread(t => t.Repeat(3, r => r.HoldMmapLock(write: true, 10.Microseconds())).Signal("locked-thrice"))
                .Thread(t => t.WaitFor("locked-thrice").Read("path")))
            .Build();

        var fault = s.RunUntil<FaultTaken>(f => f.Kind == FaultKind.FileRead);

        Assert.NotNull(fault);
        Assert.Equal(3, s.Observations.OfType<Actors.Locking.MmapLockObserved>().Count(l => l.Change == Actors.Locking.MmapLockChange.Released && l.Write));
        Assert.InRange(s.NowNs, 30_000, 32_000);
    }

    [Fact]
    public void AWriteSyscall_IsProbedAtSysEnterWrite_UnderTheBuffersName()
    {
        using var s = Scenario()
            .Process(p => p
                .String("cold", RegionKind.Rodata, 9, "never read")
                .String("warm", RegionKind.Heap, 2, "written")
                .Thread(t => t.SysWrite("cold").SysWrite("warm").SysOpenat("cold")))
            .Build();

        var cold = s.ExpectProbeReadFailure("cold", FailureCause.NotMapped);
        Assert.Equal("sys_enter_write", cold.Attach);
        s.ExpectProbeReadOk("warm");
        // openat's getname() faults the path in only after the probe: the probe still misses it.
        Assert.Equal("sys_enter_openat", s.ExpectProbeReadFailure("cold", FailureCause.NotMapped).Attach);
    }

    [Fact]
    public void TouchedAtStart_MapsLibcRodataBeforeTheRun()
    {
        using var s = Scenario()
            .Process(p => p
                .String("sh", RegionKind.LibcRodata, 40, "/bin/sh")
                .String("dash-c", RegionKind.LibcRodata, 40, "-c")
                .PointerArray("argv", RegionKind.Stack, 28, "sh", "dash-c")
                .TouchedAtStart(RegionKind.LibcRodata, 40)
                .Thread(t => t.Vfork(c => c.Exec("sh", "argv")).WaitChild()))
            .Build();

        s.ExpectProbeReadOk(ProbeTargets.Filename);
    }

    [Fact]
    public void ComputeAndRunOnCpu_DriveNumaScanningOfAProcessOfOnesOwn_AndTouchingTheBufferRepairsIt()
    {
        // The guide's example: a process of one's own burns CPU on node 0 while its buffer sits idle;
        // task_numa_work() marks it PROT_NONE, the probe fails, the thread's own write takes the hint fault.
        using var s = Scenario()
            .Machine(2, 2)
            .NumaBalancing()
            .Process(p => p
                .String("idle", RegionKind.Heap, 4, "idle buffer")
                .Thread(t => t.RunOnCpu(0).Repeat(40, r => r.Compute(50.Milliseconds()))
                    .SysWrite("idle").Write("idle").SysWrite("idle"))
                .Thread(t => t.RunOnCpu(2).Sleep(3.Seconds())))
            .Build();

        var pass = s.RunUntil<NumaScanPassFinished>(p => p.PtesUpdated > 0);
        Assert.InRange(pass.StartNs, 1_000_000_000L, 2_000_000_000L);
        var failed = s.FishForProbeRead(r => r.Target == "idle" && r.Cause == FailureCause.NumaProtNone);
        Assert.Equal("sys_enter_write", failed.Attach);
        s.ExpectProbeReadOk("idle");
    }
}
