using ActorKernel.Actors.Metrics;
using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Tests.Scenarios;

/// <summary>
/// The mechanisms behind today's user reports, through the actors (kernel-model.md §1.5-§1.8), profile
/// 6.18, policy nofault: old PTEs after fork on CPUs without hardware young management, glibc's
/// system()/popen() by version, literals in a shared library, literals the process never read, and
/// fixed-size reads.
/// </summary>
public sealed class ArchitectureScenarioTests : IDisposable
{
    private const int Execs = 10;
    private readonly ActorSystem _system = ActorSystem.Create("architecture-scenarios");

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    private RunMetrics Run(params string[] overrides) =>
        ForkExecRuns.Metrics(_system, new[] { $"workload.fork-exec.execs={Execs}", "kernel.profile=\"6.18\"" }.Concat(overrides).ToArray());


    // copy_present_pte() → pte_mkold(): the child's copied heap PTE is old; x86 and arm64 with FEAT_HAFDBS read it.
    [Theory]
    [InlineData("x86-64", "default")]
    [InlineData("arm64", "on")]
    public void Fork_HeapStrings_HardwareYoung_Read(string arch, string hw)
    {
        var m = Run("workload.fork-exec.strings=heap", $"machine.arch={arch}", $"machine.hw-pte-young={hw}");
        Assert.Equal(0, m.ReadsFailed);
    }

    // arm64 without hardware access flag (Cortex-A72, Graviton1, Raspberry Pi 4) and s390x: every anonymous
    // string the child has not touched since the fork fails, pte-old; the argv array on the stack too.
    [Theory]
    [InlineData("arm64", "off")]
    [InlineData("s390x", "default")]
    [InlineData("s390x", "off")]
    public void Fork_HeapStrings_OldPteFaults_EveryReadFailsPteOld(string arch, string hw)
    {
        var m = Run("workload.fork-exec.strings=heap", $"machine.arch={arch}", $"machine.hw-pte-young={hw}");
        Assert.Equal((Execs, Execs), ForkExecRuns.Target(m, "filename"));
        Assert.Equal((Execs, Execs), ForkExecRuns.Target(m, "argv-array"));
        Assert.Equal(m.ReadsFailed, m.ByCause["pte-old"]);
    }

    // The child's own access takes the access-flag fault (handle_pte_fault() → pte_mkyoung()), so its strings read.
    [Fact]
    public void Fork_HeapStrings_ChildTouchesThem_Read()
    {
        var m = Run("workload.fork-exec.strings=heap", "workload.fork-exec.argv-array=relro", "workload.fork-exec.argc=1",
            "machine.arch=arm64", "machine.hw-pte-young=off", "workload.fork-exec.child-touches=strings-page");
        Assert.Equal(0, ForkExecRuns.Target(m, "filename").Failed);
        Assert.Equal(0, ForkExecRuns.Target(m, "argv").Failed);
    }

    // vfork: the child runs on the parent's own (young) PTEs.
    [Fact]
    public void Vfork_HeapStrings_NoOldPtes_Read()
    {
        var m = Run("workload.fork-exec.strings=heap", "workload.fork-exec.spawn=vfork", "machine.arch=arm64", "machine.hw-pte-young=off");
        Assert.Equal(0, m.ReadsFailed);
    }

    // glibc < 2.29 system(): fork + exec /bin/sh "sh" "-c" from libc's .rodata, which the forked child has not
    // mapped: every exec loses filename, argv[0] and argv[1]; the command (heap, copied at fork) reads on x86.
    [Theory]
    [InlineData("system")]
    [InlineData("popen")]
    public void System_Glibc228_EveryCallLosesTheShellLiterals(string spawn)
    {
        var m = Run($"workload.fork-exec.spawn={spawn}", "workload.fork-exec.libc-version=\"2.28\"");
        Assert.Equal(Execs, m.Forks);
        Assert.Equal((Execs, Execs), ForkExecRuns.Target(m, "filename"));
        Assert.Equal((Execs * 3, Execs * 2), ForkExecRuns.Target(m, "argv"));
        Assert.Equal(m.ReadsFailed, m.ByCause["not-mapped"]);
    }

    // glibc >= 2.29: posix_spawn (CLONE_VM | CLONE_VFORK): the first exec's copy_strings() maps the literals
    // in the caller's own page table, so only the first call can lose them (here libc sits where the spawn
    // path's own sigall_set read does not map them: window index 10).
    [Fact]
    public void System_Glibc236_OnlyTheFirstCallLosesTheShellLiterals()
    {
        var m = Run("workload.fork-exec.spawn=system", "workload.fork-exec.libc-version=\"2.36\"", LibcAtLiteralsWindowIndex(10));
        Assert.Equal(0, m.Forks);
        Assert.Equal((Execs, 1), ForkExecRuns.Target(m, "filename"));
        Assert.Equal((Execs * 3, 2), ForkExecRuns.Target(m, "argv"));
    }

    /// <summary>image.libc-load-offset-pages that puts the shell literals' page at <paramref name="windowIndex"/> of its 16-page fault-around window.</summary>
    internal static string LibcAtLiteralsWindowIndex(int windowIndex)
    {
        var s = ForkExecRuns.Settings();
        var offset = GlibcPosixSpawn.LoadOffsetForLiteralsWindowIndex(s.Image, FaultAroundWindow.Of(s.Mm.FaultAroundBytes), windowIndex);
        return $"image.libc-load-offset-pages={offset}";
    }

    // glibc 2.36 spawni.c __spawnix(): __libc_signal_block_all()'s rt_sigprocmask() makes the kernel read sigall_set,
    // 10 pages after the literals, before the clone; its fault-around window maps the literals too when their page is
    // one of the window's first 6 (index + 10 < 16), and then even the first call reads them. popen() spawns the same way.
    [Theory]
    [InlineData("system", 0, 0)]
    [InlineData("system", 5, 0)]
    [InlineData("system", 6, 1)]
    [InlineData("system", 15, 1)]
    public void System_Glibc236_FirstCall_ReadsTheLiterals_WhenSpawnixSigallSetReadSharesTheirWindow(string spawn, int windowIndex, int failedFilenames)
    {
        var m = Run($"workload.fork-exec.spawn={spawn}", "workload.fork-exec.libc-version=\"2.36\"", LibcAtLiteralsWindowIndex(windowIndex));
        Assert.Equal((Execs, failedFilenames), ForkExecRuns.Target(m, "filename"));
        Assert.Equal((Execs * 3, 2 * failedFilenames), ForkExecRuns.Target(m, "argv"));
    }

    // popen() also reads two jump tables before its exec (the mode switch, -4 pages, and the child's file-actions switch,
    // -3): with Debian 2.36's distances one of its three reads shares the literals' window wherever libc lies; with a
    // build whose tables lie far from them, popen() loses the first call where system() does.
    [Theory]
    [InlineData(0, "-4", "-3", 0)]
    [InlineData(3, "-4", "-3", 0)]
    [InlineData(9, "-4", "-3", 0)]
    [InlineData(15, "-4", "-3", 0)]
    [InlineData(9, "40", "41", 1)]
    [InlineData(2, "40", "41", 0)]
    public void Popen_Glibc236_FirstCall_ReadsTheLiterals_WhenOneOfItsLibcReadsSharesTheirWindow(int windowIndex, string modeTable, string fileActionsTable, int failedFilenames)
    {
        var m = Run("workload.fork-exec.spawn=popen", "workload.fork-exec.libc-version=\"2.36\"", LibcAtLiteralsWindowIndex(windowIndex),
            $"image.libc-popen-mode-table-distance-pages={modeTable}", $"image.libc-file-actions-table-distance-pages={fileActionsTable}");
        Assert.Equal((Execs, failedFilenames), ForkExecRuns.Target(m, "filename"));
        Assert.Equal((Execs * 3, 2 * failedFilenames), ForkExecRuns.Target(m, "argv"));
    }

    // The read is a property of the libc build: with sigall_set on the literals' own page the first call always reads them.
    [Fact]
    public void System_Glibc236_SigallSetOnTheLiteralsPage_NoCallLosesThem()
    {
        var m = Run("workload.fork-exec.spawn=system", "workload.fork-exec.libc-version=\"2.36\"", LibcAtLiteralsWindowIndex(12),
            "image.libc-sigall-set-distance-pages=0");
        Assert.Equal((Execs, 0), ForkExecRuns.Target(m, "filename"));
    }

    // glibc 2.28's system() forks (no posix_spawn, no sigall_set read): where libc lies does not matter.
    [Fact]
    public void System_Glibc228_EveryCallLosesTheLiterals_WhereverLibcLies()
    {
        var m = Run("workload.fork-exec.spawn=system", "workload.fork-exec.libc-version=\"2.28\"", LibcAtLiteralsWindowIndex(0));
        Assert.Equal((Execs, Execs), ForkExecRuns.Target(m, "filename"));
    }

    // image.libc-load-offset-pages = random (the default): each run's parent draws libc's place from the seed, as ASLR
    // does per exec; across seeds the first call is lost in some runs and read in others, and the same seed repeats.
    [Fact]
    public void System_Glibc236_RandomLibcOffset_FirstCallOutcomeVariesWithTheSeed_AndRepeatsPerSeed()
    {
        var s = ForkExecRuns.Settings("workload.fork-exec.spawn=system", "workload.fork-exec.libc-version=\"2.36\"", "workload.fork-exec.execs=1",
            "kernel.profile=\"6.18\"");
        Assert.True(s.Image.LibcLoadOffsetRandom);
        long Failed(ulong seed, int lane)
        {
            var outcome = ForkExecRuns.Run(_system, s, seed, lane: lane);
            Assert.True(outcome.Succeeded, outcome.Failure);
            return ForkExecRuns.Target(outcome.Metrics!, "filename").Failed;
        }
        var firstCalls = Enumerable.Range(1, 24).Select(seed => Failed((ulong)seed, 100 + seed)).ToArray();
        Assert.Contains(0L, firstCalls);
        Assert.Contains(1L, firstCalls);
        Assert.Equal(firstCalls[4], Failed(5, 200));
    }

    // On arm64 without hardware AF, glibc < 2.29's forked child also loses the command on the heap (old PTE).
    [Fact]
    public void System_Glibc228_Arm64WithoutAf_LosesTheCommandToo()
    {
        var m = Run("workload.fork-exec.spawn=system", "workload.fork-exec.libc-version=\"2.28\"", "machine.arch=arm64", "machine.hw-pte-young=off");
        Assert.Equal((Execs, Execs), ForkExecRuns.Target(m, "argv-array"));
        Assert.Equal(Execs, m.ByCause["pte-old"]);
    }

    // A library's literals are lost like the program's own; its neighbour page maps them by fault-around.
    [Theory]
    [InlineData("none", Execs)]
    [InlineData("window-neighbour", 0)]
    [InlineData("far-page", Execs)]
    public void Fork_LibraryRodata_LostLikeProgramRodata(string childTouches, int failedFilenames)
    {
        var m = Run("workload.fork-exec.strings=lib-rodata", $"workload.fork-exec.child-touches={childTouches}");
        Assert.Equal((Execs, failedFilenames), ForkExecRuns.Target(m, "filename"));
        if (failedFilenames > 0) Assert.Equal(m.ReadsFailed, m.ByCause["fork-skipped-pte"]);
    }

    private RunMetrics Literal(params string[] overrides) => Literal(0, overrides);

    private RunMetrics Literal(int lane, params string[] overrides)
    {
        var s = ForkExecRuns.Settings(new[] { "workload.fork-exec.enabled=off", "workload.literal-syscall.enabled=on", "workload.literal-syscall.calls=5" }
            .Concat(overrides).ToArray());
        var outcome = ForkExecRuns.Run(_system, s, lane: lane);
        Assert.True(outcome.Succeeded, outcome.Failure);
        return outcome.Metrics!;
    }

    // openat("README.md") of a literal never read: not-mapped at sys_enter_openat the first time; getname() then maps it.
    [Theory]
    [InlineData("rodata", "none", 1)]
    [InlineData("lib-rodata", "none", 1)]
    [InlineData("rodata", "window-neighbour", 0)]
    [InlineData("rodata", "strings-page", 0)]
    [InlineData("stack", "none", 0)]
    [InlineData("heap", "none", 0)]
    public void LiteralOpenat_OnlyTheFirstCallFails_UnlessFaultAroundMappedIt(string strings, string touched, int failed)
    {
        var m = Literal($"workload.literal-syscall.strings={strings}", $"workload.literal-syscall.touched-before={touched}");
        Assert.Equal((5, failed), ForkExecRuns.Target(m, "path"));
        if (failed > 0) Assert.Equal(failed, m.ByCause["not-mapped"]);
    }

    // execve("/bin/ls", {"ls", NULL}) with no fork: every process loses filename and argv[0] at sys_enter_execve.
    [Fact]
    public void LiteralExecve_EveryProcessLosesItsLiterals()
    {
        var m = Literal("workload.literal-syscall.syscall=execve");
        Assert.Equal(5, m.Execs);
        Assert.Equal((5, 5), ForkExecRuns.Target(m, "filename"));
        Assert.Equal((5, 5), ForkExecRuns.Target(m, "argv"));
        Assert.Equal(0, ForkExecRuns.Target(m, "argv-array").Failed);
    }

    // The path ends its page, the last of its fault-around window; the process read that page, so fault-around
    // mapped the window, not the next page. The _str read stops at the NUL; a fixed 255-byte read (bcc's older
    // opensnoop) runs into the next page: not-mapped, past the string. "calib/README.md" is 16 bytes with its NUL,
    // 8-byte aligned at its page's end: getname()'s word reads (do_strncpy_from_user()) stay in its page, so every
    // call fails the same way.
    [Fact]
    public void FixedRead_FailsPastTheString_WhereTheStrReadSucceeds()
    {
        const string aligned = "workload.literal-syscall.open-path=\"calib/README.md\"";
        var str = Literal("workload.literal-syscall.touched-before=strings-page", aligned);
        Assert.Equal(0, str.ReadsFailed);
        var fixedSize = Literal(1, "workload.literal-syscall.touched-before=strings-page", "probe.read-size=fixed", aligned);
        Assert.Equal((5, 5), ForkExecRuns.Target(fixedSize, "path"));
        Assert.Equal(5, fixedSize.ByCause["not-mapped"]);
        Assert.Equal(5, fixedSize.ReadsPastString);
    }

    // lib/strncpy_from_user.c do_strncpy_from_user() (6.18): "README.md" is 10 bytes with its NUL and ends its page at an
    // unaligned address, so getname()'s second word read takes 6 bytes of the next page and faults it in (a sleepable
    // copy, with its fault-around window) after the first call's probe: only the first fixed-size read fails. Measured on
    // 6.18.44 (docs/calibration.md, the field-reports variant with an unaligned path).
    [Fact]
    public void FixedRead_OfAnUnalignedPathEndingItsPage_FailsOnlyOnTheFirstCall_GetnameWordReadMapsTheNextPage()
    {
        var fixedSize = Literal("workload.literal-syscall.touched-before=strings-page", "probe.read-size=fixed",
            "workload.literal-syscall.open-path=\"README.md\"");
        Assert.Equal((5, 1), ForkExecRuns.Target(fixedSize, "path"));
        Assert.Equal(1, fixedSize.ReadsPastString);
    }
}
