using ActorKernel.Actors.Metrics;
using Akka.Actor;

namespace ActorKernel.Actors.Tests.Scenarios;

/// <summary>
/// One test per public report in docs/field-reports.md: the report's situation as configuration, and the
/// symptom the reporter saw (which strings a tracer lost, and how often) as the assertion. Profile 6.18,
/// policy nofault (what bpf_probe_read_user[_str]() does). Reports of memory pressure are reproduced by
/// MemoryPressureScenarioTests; the doc names the test of each report.
/// </summary>
public sealed class FieldReportTests : IDisposable
{
    private const int Execs = 10;
    private readonly ActorSystem _system = ActorSystem.Create("field-reports");

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    private int _lane;

    private RunMetrics ForkExec(params string[] overrides) =>
        Run(new[] { $"workload.fork-exec.execs={Execs}", "kernel.profile=\"6.18\"" }.Concat(overrides).ToArray());

    private RunMetrics Literal(params string[] overrides) =>
        Run(new[] { "kernel.profile=\"6.18\"", "workload.fork-exec.enabled=off", "workload.literal-syscall.enabled=on", "workload.literal-syscall.calls=5" }
            .Concat(overrides).ToArray());

    // Each run of a test on its own simulation lane of the test's actor system.
    private RunMetrics Run(string[] overrides)
    {
        var outcome = ForkExecRuns.Run(_system, ForkExecRuns.Settings(overrides), lane: _lane++);
        Assert.True(outcome.Succeeded, outcome.Failure);
        return outcome.Metrics!;
    }


    // iovisor/bcc#2627: execve("/bin/ls", {"/bin/ls", NULL}) of .rodata literals the program never read, no
    // fork: execsnoop prints no filename. The literals' page is cached, not mapped, at sys_enter_execve.
    [Fact]
    public void Bcc2627_ExecveOfNeverReadLiterals_LosesTheFilenameEveryTime()
    {
        var m = Literal("workload.literal-syscall.syscall=execve");
        Assert.Equal((5, 5), ForkExecRuns.Target(m, "filename"));
        Assert.Equal(m.ReadsFailed, m.ByCause["not-mapped"]);
    }

    // bpftrace/bpftrace#2523: the same program in a Linux arm64 VM (Docker on a Mac): join(args->argv) warns
    // "Bad address (-14)". The mechanism is the page cache's, not the architecture's: arm64 loses them too.
    [Fact]
    public void Bpftrace2523_ExecveOfLiterals_OnArm64_LosesArgv()
    {
        var m = Literal("workload.literal-syscall.syscall=execve", "machine.arch=arm64");
        Assert.Equal((5, 5), ForkExecRuns.Target(m, "argv"));
        Assert.Equal(m.ReadsFailed, m.ByCause["not-mapped"]);
    }

    // bpftrace/bpftrace#2005: open("README.md") of a literal: the path is missing at sys_enter_openat; under
    // strace it is not (strace's own read of the argument maps the page first: touched-before = strings-page).
    [Fact]
    public void Bpftrace2005_OpenatOfALiteral_FirstCallLosesThePath_UnlessSomethingReadItFirst()
    {
        Assert.Equal((1, 1), ForkExecRuns.Target(Literal("workload.literal-syscall.calls=1"), "path"));
        Assert.Equal((1, 0), ForkExecRuns.Target(Literal("workload.literal-syscall.calls=1", "workload.literal-syscall.touched-before=strings-page"), "path"));
    }

    // iovisor/bcc#1307 and bcc#4292 (fixed by PR #4293): opensnoop read the path with a fixed-size
    // bpf_probe_read(); a path that ends just before an unmapped page fails as a whole, though the string
    // itself is mapped. The _str helper stops at the NUL and reads it. (A 16-byte path, so getname()'s word
    // reads do not map the next page for later calls; the default "README.md" fails the first call only.)
    [Fact]
    public void Bcc1307_FixedSizeReadOfAPathBeforeAnUnmappedPage_Fails_TheStrReadDoesNot()
    {
        const string aligned = "workload.literal-syscall.open-path=\"calib/README.md\"";
        var fixedSize = Literal("workload.literal-syscall.touched-before=strings-page", "probe.read-size=fixed", aligned);
        Assert.Equal((5, 5), ForkExecRuns.Target(fixedSize, "path"));
        Assert.Equal(5, fixedSize.ReadsPastString);
        Assert.Equal((5, 0), ForkExecRuns.Target(Literal("workload.literal-syscall.touched-before=strings-page", aligned), "path"));
    }

    // brendangregg/perf-tools#117: popen("ls -l") with glibc >= 2.29 (posix_spawn): the first exec of
    // /bin/sh shows every argument as (fault); the kernel's copy_strings() then maps libc's literals, so the
    // next exec (ls -l itself, or another popen) reads. The first call loses them when none of glibc's own reads
    // before the exec (popen()'s two jump tables, posix_spawn()'s sigall_set) shares their fault-around window: never
    // with Debian 2.36's layout (calibration.md), so the reporter's libc has them elsewhere; here 40 and 41 pages away.
    [Fact]
    public void PerfTools117_Popen_FirstCallLosesShAndC_LaterCallsRead()
    {
        var m = ForkExec("workload.fork-exec.spawn=popen", "workload.fork-exec.libc-version=\"2.36\"", ArchitectureScenarioTests.LibcAtLiteralsWindowIndex(8),
            "image.libc-popen-mode-table-distance-pages=40", "image.libc-file-actions-table-distance-pages=41");
        Assert.Equal((Execs, 1), ForkExecRuns.Target(m, "filename"));
        Assert.Equal((Execs * 3, 2), ForkExecRuns.Target(m, "argv"));
    }

    // cilium/ebpf#419: "sh -c ping …" traced as "ping …": argv[0] "sh" and argv[1] "-c" lost, the command
    // read, call after call: system() that forks (glibc < 2.29) execs libc's literals the child never mapped.
    [Fact]
    public void CiliumEbpf419_SystemThatForks_LosesShAndC_EveryCall_KeepsTheCommand()
    {
        var m = ForkExec("workload.fork-exec.spawn=system", "workload.fork-exec.libc-version=\"2.28\"");
        Assert.Equal((Execs, Execs), ForkExecRuns.Target(m, "filename"));
        Assert.Equal((Execs * 3, Execs * 2), ForkExecRuns.Target(m, "argv"));
    }

    // iovisor/bcc#3343 and bpftrace/bpftrace#4717: on arm64 only, execsnoop loses arguments of programs a
    // shell forks and execs, "at random". On cores without hardware access-flag management every PTE fork
    // copied is old (pte_mkold()) and the probe's access takes an access-flag fault: strings the child did
    // not touch fail (pte-old), those it touched read. With hardware AF (ARMv8.1+) the model predicts no loss.
    [Theory]
    [InlineData("off", Execs)]
    [InlineData("on", 0)]
    public void Bcc3343_Arm64ForkedShell_LosesUntouchedArguments_OnlyWithoutHardwareAccessFlag(string hwYoung, int failed)
    {
        var m = ForkExec("workload.fork-exec.strings=heap", "machine.arch=arm64", $"machine.hw-pte-young={hwYoung}");
        Assert.Equal((Execs, failed), ForkExecRuns.Target(m, "filename"));
        if (failed > 0) Assert.Equal(m.ReadsFailed, m.ByCause["pte-old"]);
        var touched = ForkExec("workload.fork-exec.strings=heap", "workload.fork-exec.argv-array=relro", "workload.fork-exec.argc=1",
            "machine.arch=arm64", $"machine.hw-pte-young={hwYoung}", "workload.fork-exec.child-touches=strings-page");
        Assert.Equal(0, ForkExecRuns.Target(touched, "filename").Failed);
    }

    // bpftrace/bpftrace#1503: a uprobe on a library function reads its const char* argument, a literal of the
    // caller's .rodata never read before: -14; printing the literal first fixes it. The model has no uprobe
    // attach point; the page state at the read is that of a literal passed to a syscall, which it reproduces.
    [Fact]
    public void Bpftrace1503_NeverReadLiteral_FailsUntilTheProgramReadsIt()
    {
        Assert.Equal((1, 1), ForkExecRuns.Target(Literal("workload.literal-syscall.calls=1"), "path"));
        Assert.Equal((1, 0), ForkExecRuns.Target(Literal("workload.literal-syscall.calls=1", "workload.literal-syscall.touched-before=strings-page"), "path"));
    }

    // libbpf/libbpf-bootstrap#219: newfstatat's filename of a daemon (systemd-oomd) reads -14 at the syscall's
    // entry: a path literal in a shared library's .rodata, never read by the process before.
    [Fact]
    public void LibbpfBootstrap219_LibraryLiteralAtSyscallEntry_FailsNotMapped()
    {
        var m = Literal("workload.literal-syscall.calls=1", "workload.literal-syscall.strings=lib-rodata");
        Assert.Equal((1, 1), ForkExecRuns.Target(m, "path"));
        Assert.Equal(1, m.ByCause["not-mapped"]);
    }
}
