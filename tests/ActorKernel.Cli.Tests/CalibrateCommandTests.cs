using ActorKernel.Calibration;

namespace ActorKernel.Cli.Tests;

/// <summary>`actorkernel calibrate`'s user mistakes and missing preconditions: one line, exit 2, nothing written. No root needed.</summary>
public sealed class CalibrateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("actorkernel-calibrate-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly CalibrationHost Nothing = new(false, null, null, false);
    private static readonly CalibrationHost Everything = new(true, "/usr/bin/bpftrace", "/usr/bin/cc", true);

    private static (int Code, string Out, string Err) Cli(CalibrationHost host, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliMain.Run(args, stdout, stderr, () => host);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static void AssertOneLineError(int code, string stdout, string stderr, string expected)
    {
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("actorkernel: error: ", lines[0]);
        Assert.Contains(expected, lines[0]);
    }

    [Fact]
    public void NumaIdle_WithNumaBalancingOff_WithoutAllowSysctl_Exit2OneLine_NothingWritten()
    {
        var host = Everything with { NumaBalancing = "0" };
        var (code, o, e) = Cli(host, "calibrate", "--cases", "numa-idle", "--out", Path.Combine(_dir, "x"));
        AssertOneLineError(code, o, e, "--allow-sysctl");
        Assert.Contains("sysctl kernel.numa_balancing=1", e);
        Assert.False(Directory.Exists(Path.Combine(_dir, "x")));
    }

    [Fact]
    public void NumaIdle_WithoutNumaBalancingInTheKernel_Exit2OneLine()
    {
        var (code, o, e) = Cli(Everything, "calibrate", "--cases", "numa-idle", "--allow-sysctl", "--out", Path.Combine(_dir, "x"));
        AssertOneLineError(code, o, e, "CONFIG_NUMA_BALANCING");
        Assert.False(Directory.Exists(Path.Combine(_dir, "x")));
    }

    [Fact]
    public void MemoryPressure_WithoutAMemoryCgroupController_Exit2OneLine_NothingWritten()
    {
        var (code, o, e) = Cli(Everything, "calibrate", "--cases", "memory-pressure", "--allow-swapfile", "--out", Path.Combine(_dir, "x"));
        AssertOneLineError(code, o, e, "--cases memory-pressure needs the memory cgroup controller");
        Assert.False(Directory.Exists(Path.Combine(_dir, "x")));
    }

    [Fact]
    public void AllowSwapfile_IsParsed_AndOffByDefault()
    {
        Assert.True(CalibrateArguments.Parse(["--cases", "memory-pressure", "--allow-swapfile"]).AllowSwapfile);
        Assert.False(CalibrateArguments.Parse(["--cases", "memory-pressure"]).AllowSwapfile);
    }

    [Fact]
    public void MemoryPressureTable_HasALinePerRead_WithTheModelsCauses()
    {
        static IReadOnlyList<MemoryPressureRead> Reads(string target, bool ok, string? cause = null) => [new MemoryPressureRead(target, 2100, ok, cause)];
        var real = Reads("idle-file", false).Concat(Reads("idle-anon", true)).Concat(Reads("hot", true)).ToArray();
        var model = Reads("idle-file", false, "not-mapped").Concat(Reads("idle-anon", false, "swapped-out")).Concat(Reads("hot", true)).ToArray();

        var table = CalibrateCommand.MemoryPressureTable([MemoryPressureRow.Of(new MemoryPressureVariant(2, true), 4, "v1", real, model)]);

        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.Matches(@"^memory.max=2 MiB, swap \(cgroup v1\)\s+idle-file\s+1/1 \(mostly failing\)\s+1/1 \(mostly failing\)\s+not-mapped 1\s+2100 ms / 2100 ms\s+yes$", lines[2]);
        Assert.Matches(@"idle-anon\s+0/1 \(none\)\s+1/1 \(mostly failing\)\s+swapped-out 1\s+- / 2100 ms\s+NO$", lines[3]);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("four")]
    public void BadSeconds_Exit2OneLine(string seconds)
    {
        var (code, o, e) = Cli(Everything with { NumaBalancing = "1" }, "calibrate", "--cases", "numa-idle", "--seconds", seconds, "--out", Path.Combine(_dir, "x"));
        AssertOneLineError(code, o, e, "--seconds expects");
        Assert.False(Directory.Exists(Path.Combine(_dir, "x")));
    }

    [Theory]
    [InlineData("fork-exce", "unknown calibration case 'fork-exce'")]
    public void UnknownOrUncalibratedCase_Exit2OneLine(string @case, string expected)
    {
        var (code, o, e) = Cli(Everything, "calibrate", "--cases", @case, "--out", Path.Combine(_dir, "x"));
        AssertOneLineError(code, o, e, expected);
        Assert.False(Directory.Exists(Path.Combine(_dir, "x")));
    }

    [Theory]
    [InlineData("--trials", "0", "--trials expects a whole number from 1 to 10000")]
    [InlineData("--trials", "many", "--trials expects")]
    [InlineData("--frobnicate", "1", "unknown argument '--frobnicate'")]
    public void BadOptions_Exit2OneLine(string option, string value, string expected)
    {
        var (code, o, e) = Cli(Everything, "calibrate", option, value);
        AssertOneLineError(code, o, e, expected);
    }

    [Fact]
    public void MissingPreconditions_SayWhatAndHow_ChangeNothing()
    {
        var outDir = Path.Combine(_dir, "out");
        var (code, o, e) = Cli(Nothing, "calibrate", "--out", outDir);

        AssertOneLineError(code, o, e, "calibrate cannot run here");
        Assert.Contains("not root", e);
        Assert.Contains("install it: apt-get install bpftrace", e);
        Assert.Contains("cc", e);
        Assert.Contains("mount -t tracefs nodev /sys/kernel/tracing", e);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void OnlyBpftraceMissing_NamesOnlyThat()
    {
        var (code, o, e) = Cli(Everything with { BpftracePath = null }, "calibrate");

        AssertOneLineError(code, o, e, "apt-get install bpftrace");
        Assert.DoesNotContain("not root", e);
        Assert.DoesNotContain("tracefs", e);
    }

    [Fact]
    public void Table_ListsBothSides()
    {
        var v = CalibrationCases.ForkExecVariants[0];
        var table = CalibrateCommand.Table([new CalibrationRow("fork-exec", v, new(20, 20), new(20, 20), new(0, 20), 20)]);
        Assert.Contains("fork/rodata/none", table);
        Assert.Contains("20/20", table);
        Assert.Contains("0/20", table);
        Assert.Contains("NO", table);
    }

    [Fact]
    public void Table_ShowsTheRealCacheStateColumn_OnlyWhenAVariantHasOne()
    {
        var warm = new CalibrationRow("fork-exec", CalibrationCases.ForkExecVariants[0], new(20, 20), new(20, 20), new(20, 20), 20);
        var cold = new CalibrationRow("fork-exec", new CalibrationVariant("fork", "rodata", "window-neighbour", false, "stack", "cold"),
            new(20, 20), new(20, 20), new(20, 20), 20, new CacheStateCount("cold", 20, 20));

        Assert.DoesNotContain("real cache set", CalibrateCommand.Table([warm]));
        var table = CalibrateCommand.Table([warm, cold]);
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("real cache set", lines[0]);
        Assert.Matches(@"^fork/rodata/none\s+20/20\s+20/20\s+-\s+20/20\s+yes$", lines[2]);
        Assert.Matches(@"^fork/rodata/window-neighbour parent-touches=off cache=cold\s+20/20\s+20/20\s+20/20\s+20/20\s+yes$", lines[3]);
    }

    [Fact]
    public void NumaIdleTable_HasALinePerRead_WithFirstFailuresAndTheOutcomes()
    {
        static IReadOnlyList<NumaIdleRead> Reads(string target, params (long AtMs, bool Ok)[] r) => r.Select(x => new NumaIdleRead(target, x.AtMs, x.Ok)).ToArray();
        var real = Reads("idle-buffer", (1205, false), (2005, false)).Concat(Reads("arg-start", (2005, true))).Concat(Reads("kernel-touched-buffer", (1205, false), (1605, true))).ToArray();
        var model = Reads("idle-buffer", (1300, false), (2000, false)).Concat(Reads("arg-start", (2000, false))).Concat(Reads("kernel-touched-buffer", (1300, false), (1700, true))).ToArray();

        var table = CalibrateCommand.NumaIdleTable([NumaIdleRow.Of(new NumaIdleVariant(4, 1), 4, real, model)]);

        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.Matches(@"^threads=4 busy=1\s+idle-buffer\s+from 2 s\s+1/1 \(mostly failing\)\s+1/1 \(mostly failing\)\s+1205 ms / 1300 ms\s+yes\s+yes$", lines[2]);
        Assert.Matches(@"^threads=4 busy=1\s+arg-start\s+from 2 s\s+0/1 \(none\)\s+1/1 \(mostly failing\)\s+- / 2000 ms\s+no\s+NO$", lines[3]);
        Assert.Matches(@"^threads=4 busy=1\s+kernel-touched-buffer\s+whole run\s+1/2 \(repaired\)\s+1/2 \(repaired\)\s+1205 ms / 1300 ms\s+yes\s+yes$", lines[4]);
    }

    [Fact]
    public void FieldReportTable_ShowsEachRowsAgreement_AndTheArchitectureRowsAsNotMeasurableHere()
    {
        var rows = new[]
        {
            new FieldReportRow(FieldReportVariant.LiteralOpenat("none", true), new(60, 60), new(3, 3), []),
            new FieldReportRow(FieldReportVariant.Shell(FieldReportRead.ShellFirstMappedBySpawn, "2.36", 1), new(0, 7), new(1, 7), [], [true, true, true, true, true, true, false]),
        };
        var arch = ArchitectureRow.All(20).Select(a => (a, new FailureCount(20, 20))).ToArray();

        var lines = CalibrateCommand.FieldReportTable(rows, arch).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(2 + 2 + 3, lines.Length);
        Assert.Matches(@"^literal-openat/none read-size=fixed\s+60/60\s+3/3\s+yes$", lines[2]);
        Assert.Matches(@"^system libc=2.36 first call, spawn path mapped the literals\s+0/7\s+1/7\s+NO$", lines[3]);
        Assert.Matches(@"^fork/heap/none machine.arch=s390x\s+modelled, not measurable here\s+20/20\s+-$", lines[6]);
    }

    [Fact]
    public void FieldReports_WithoutRoot_Exit2OneLine_NothingWritten()
    {
        var (code, o, e) = Cli(Nothing, "calibrate", "--cases", "field-reports", "--out", Path.Combine(_dir, "x"));
        AssertOneLineError(code, o, e, "calibrate cannot run here");
        Assert.False(Directory.Exists(Path.Combine(_dir, "x")));
    }
}
