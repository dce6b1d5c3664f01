namespace ActorKernel.TestKit.Tests.Scenarios;

/// <summary>The scenarios of issue 17's outside user, written with the typed API and no workaround.</summary>
public sealed class ExternalScenariosTests : ScenarioTestKit
{
    [Fact]
    public void Vfork_TheChildExecsOnTheParentsMm_SoStringsTheParentReadAreMapped()
    {
        using var s = Scenario()
            .ForkExec(new ForkExecOptions { Spawn = SpawnMethod.Vfork, Strings = StringsRegion.Rodata, ParentTouchesStrings = true, Execs = 1 })
            .Build();

        s.ExpectNoProbeReadFailure();
    }

    [Fact]
    public void Vfork_StringsNobodyRead_AreNotMapped()
    {
        using var s = Scenario()
            .ForkExec(new ForkExecOptions { Spawn = SpawnMethod.Vfork, Strings = StringsRegion.Rodata, ParentTouchesStrings = false, Execs = 1 })
            .Build();

        s.ExpectProbeReadFailure(ProbeTargets.Filename, FailureCause.NotMapped);
    }

    // glibc < 2.29 system(): fork(), then execve("/bin/sh", {"sh", "-c", cmd}) with "/bin/sh", "sh" and "-c" from libc's .rodata.
    private Scenario OldGlibcSystem(bool libcStartupTouchedTheLiterals) => Scenario()
        .Process(p =>
        {
            p.String("/bin/sh", RegionKind.LibcRodata, 60, "/bin/sh")
                .String("sh", RegionKind.LibcRodata, 60, "sh")
                .String("-c", RegionKind.LibcRodata, 60, "-c")
                .String("cmd", RegionKind.Heap, 3, "true")
                .PointerArray("argv", RegionKind.Stack, 28, "sh", "-c", "cmd")
                .Thread(t => t.Fork(child => child.Exec("/bin/sh", "argv")).WaitChild());
            if (libcStartupTouchedTheLiterals) p.TouchedAtStart(RegionKind.LibcRodata, 60);
        })
        .Build();

    [Fact]
    public void OldGlibcSystem_LiteralsTheParentTouched_AreNotCopiedByFork()
    {
        using var s = OldGlibcSystem(libcStartupTouchedTheLiterals: true);

        s.ExpectProbeReadFailure(ProbeTargets.Filename, FailureCause.ForkSkippedPte);
        s.ExpectProbeReadOk(ProbeTargets.ArgvArray);
        s.ExpectProbeReadFailure(ProbeTargets.Argv, FailureCause.ForkSkippedPte);
    }

    [Fact]
    public void OldGlibcSystem_LiteralsNobodyTouched_AreNotMappedAnywhere()
    {
        using var s = OldGlibcSystem(libcStartupTouchedTheLiterals: false);

        s.ExpectProbeReadFailure(ProbeTargets.Filename, FailureCause.NotMapped);
    }

    // A 50 µs mmap_lock write hold (an mmap() in another thread) while a vfork child execs with a string nobody read.
    private Scenario WriteHoldDuringExec(ProbePolicy policy) => Scenario()
        .Kernel(KernelVersion.Linux6_8)
        .Policy(policy)
        .Process(p => p
            .String("path", RegionKind.Rodata, 5, "/usr/bin/true")
            .PointerArray("argv", RegionKind.Stack, 28, "path")
            .Thread(t => t.HoldMmapLock(write: true, 50.Microseconds()))
            .Thread(t => t.Sleep(10.Microseconds()).Vfork(c => c.Exec("path", "argv")).WaitChild()))
        .Build();

    [Fact]
    public void AWriteHold_TrylockMinorGivesUp()
    {
        using var s = WriteHoldDuringExec(ProbePolicy.TrylockMinor);

        s.ExpectProbeReadFailure(ProbeTargets.Filename, FailureCause.MmapLockContended);
    }

    [Fact]
    public void AWriteHold_SleepableWaitsForTheLock_AndReads()
    {
        using var s = WriteHoldDuringExec(ProbePolicy.Sleepable);

        var read = s.ExpectProbeReadOk(ProbeTargets.Filename);
        Assert.True(read.AtNs >= 50.Microseconds().Ns, $"read decided at {SimDuration.Format(read.AtNs)}, before the hold ended");
    }
}
