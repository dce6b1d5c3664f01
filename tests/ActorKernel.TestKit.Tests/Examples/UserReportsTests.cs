using ActorKernel.Model;

namespace ActorKernel.TestKit.Tests.Examples;

/// <summary>The TestKit steps of kernel-model.md §1.5-§1.8: architecture, system()/popen(), library literals, aging a PTE.</summary>
public sealed class UserReportsTests : ScenarioTestKit
{
    // glibc 2.28 system(): fork + exec /bin/sh; the forked child has no PTE for libc's "/bin/sh".
    [Fact]
    public void System_Glibc228_LosesTheShellPath_EveryCall()
    {
        using var s = Scenario()
            .Process(p => p.ShellCommand("cmd", "ls -l").Thread(t => t.System("cmd", "2.28").System("cmd", "2.28")))
            .Build();
        s.Finish();
        Assert.Equal(new FailureCause?[] { FailureCause.NotMapped, FailureCause.NotMapped }, Filenames(s));
    }

    private static FailureCause?[] Filenames(Scenario s) => s.ProbeReads.Where(r => r.Target == ProbeTargets.Filename).Select(r => r.Cause).ToArray();

    // glibc 2.36 popen(): posix_spawn shares the caller's mm; the first exec maps the literals for the next call.
    // Whether the first call loses them depends on glibc's own reads before it (two jump tables, sigall_set): with
    // Debian's distances one shares the literals' window wherever libc lies; with tables far away, index 8 loses them.
    [Theory]
    [InlineData(-4, -3, false)]
    [InlineData(40, 41, true)]
    public void Popen_Glibc236_FirstCallOnly_CanLoseTheShellPath(int modeTable, int fileActionsTable, bool firstLost)
    {
        using var s = Scenario()
            .LibcLoadOffset(LibcOffsetForLiteralsWindowIndex(8))
            .Process(p => p.ShellCommand("cmd", "ls -l").Thread(t => t
                .Popen("cmd", "2.36", modeTableDistancePages: modeTable, fileActionsTableDistancePages: fileActionsTable)
                .Popen("cmd", "2.36", modeTableDistancePages: modeTable, fileActionsTableDistancePages: fileActionsTable)))
            .Build();
        s.Finish();
        Assert.Equal(new FailureCause?[] { firstLost ? FailureCause.NotMapped : null, null }, Filenames(s));
    }

    // glibc 2.36 spawni.c __spawnix(): rt_sigprocmask(SIG_BLOCK, &sigall_set) before the clone faults in sigall_set's
    // libc .rodata page, 10 pages after the literals; its fault-around window holds the literals' page when that page is
    // one of the window's first 6, and then even the first system() reads them.
    [Theory]
    [InlineData(0, false)]
    [InlineData(5, false)]
    [InlineData(6, true)]
    [InlineData(15, true)]
    public void System_Glibc236_FirstCall_LosesTheShellPath_UnlessSpawnixSigallSetReadMappedIt(int windowIndex, bool lost)
    {
        using var s = Scenario()
            .LibcLoadOffset(LibcOffsetForLiteralsWindowIndex(windowIndex))
            .Process(p => p.ShellCommand("cmd", "ls -l").Thread(t => t.System("cmd", "2.36")))
            .Build();
        s.Finish();
        Assert.Equal(new FailureCause?[] { lost ? FailureCause.NotMapped : null }, Filenames(s));
    }

    // The literals on page 5 of libc's .rodata (ShellCommand's default), in the default layout.
    private static int LibcOffsetForLiteralsWindowIndex(int windowIndex)
    {
        var settings = ActorKernel.Actors.Configuration.SettingsLoader.Load(null, []);
        return GlibcPosixSpawn.LoadOffsetForLiteralsWindowIndex(settings.Image, FaultAroundWindow.Of(settings.Mm.FaultAroundBytes), windowIndex);
    }

    // A forked child on arm64 without hardware access flag: its copied (old) heap PTE fails; on x86 it reads.
    [Theory]
    [InlineData("x86-64", "default", true)]
    [InlineData("arm64", "off", false)]
    public void ForkedChild_HeapString_ByArchitecture(string arch, string hw, bool ok)
    {
        using var s = Scenario()
            .Architecture(arch, hw)
            .Process(p => p
                .String("path", RegionKind.Heap, 3, "/usr/bin/true")
                .PointerArray("argv", RegionKind.Stack, 28, "path")
                .Thread(t => t.Write("path").Write("argv").Fork(child => child.Exec("path", "argv")).WaitChild()))
            .Build();
        if (ok) s.ExpectProbeReadOk(ProbeTargets.Filename);
        else s.ExpectProbeReadFailure(ProbeTargets.Filename, FailureCause.PteOld);
        s.Finish();
    }

    // Aging by hand (what reclaim does): the parent's own heap string then fails on s390x until the task touches it.
    [Fact]
    public void MakePteOld_OnS390x_FailsTheNextRead()
    {
        using var s = Scenario()
            .Architecture("s390x")
            .Process(p => p
                .String("path", RegionKind.Heap, 3, "/usr/bin/true")
                .PointerArray("argv", RegionKind.Stack, 28, "path")
                .Thread(t => t.Sleep(1000).Exec("path", "argv")))
            .Build();
        const int mm = 1;
        Assert.True(s.MakePteOld(mm, s.Image(mm).Addr("path")));
        Assert.False(s.MakePteOld(mm, s.Image(mm).Addr("path")));
        s.ExpectProbeReadFailure(ProbeTargets.Filename, FailureCause.PteOld);
        s.Finish();
    }

    // Literals in a library's .rodata: the library is linked when a process places strings there.
    [Fact]
    public void LibraryLiteral_ForkedChild_IsForkSkipped()
    {
        using var s = Scenario()
            .Process(p => p
                .String("path", RegionKind.LibRodata, 5, "/usr/libexec/helper")
                .PointerArray("argv", RegionKind.Stack, 28, "path")
                .Thread(t => t.Read("path").Fork(child => child.Exec("path", "argv")).WaitChild()))
            .Build();
        s.ExpectProbeReadFailure(ProbeTargets.Filename, FailureCause.ForkSkippedPte);
        s.Finish();
    }
}
