using ActorKernel.Calibration;

namespace ActorKernel.Cli.Tests;

/// <summary>`actorkernel calibrate --scenario FILE`'s mistakes and missing preconditions: one line, exit 2, nothing written. No root needed.</summary>
public sealed class CalibrateScenarioCommandTests : IDisposable
{
    private const string Case1 = "actorkernel-scenario 1\nkernel 6.18\nprocess {\n  string path rodata 5 0 /bin/true\n  array argv stack 28 0 path\n  thread {\n    read path\n    fork {\n      exec path argv\n    }\n    wait-child\n  }\n}\n";

    private readonly string _dir = Directory.CreateTempSubdirectory("actorkernel-scenario-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string text)
    {
        var path = Path.Combine(_dir, "s.scenario");
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private (int Code, string Out, string Err) Cli(CalibrationHost host, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliMain.Run(args, stdout, stderr, () => host);
        Assert.All(Directory.GetFileSystemEntries(_dir), f => Assert.Equal("s.scenario", Path.GetFileName(f)));
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static void AssertOneLineError(int code, string stdout, string stderr, string expected)
    {
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("actorkernel: error: ", line);
        Assert.Contains(expected, line);
    }

    [Fact]
    public void WithoutRootBpftraceOrCc_OneLineNamingWhatIsMissing_Exit2()
    {
        var (code, o, e) = Cli(new CalibrationHost(false, null, null, true), "calibrate", "--scenario", File(Case1));

        AssertOneLineError(code, o, e, "calibrate cannot run here: not root");
        Assert.Contains("bpftrace is not installed", e);
        Assert.Contains("no C compiler 'cc'", e);
    }

    [Fact]
    public void ABadScenarioFile_OneLineNamingTheFileAndLine_Exit2_BeforeTheMachineIsLookedAt()
    {
        var path = File(Case1.Replace("wait-child", "wait-for-child", StringComparison.Ordinal));

        var (code, o, e) = Cli(new CalibrationHost(false, null, null, false), "calibrate", "--scenario", path);

        AssertOneLineError(code, o, e, $"{path}: line 11: expected a step");
    }

    [Fact]
    public void AMissingScenarioFile_OneLine_Exit2()
    {
        var (code, o, e) = Cli(new CalibrationHost(true, "/usr/bin/bpftrace", "/usr/bin/cc", true), "calibrate", "--scenario", Path.Combine(_dir, "nope.scenario"));

        AssertOneLineError(code, o, e, "cannot read scenario file");
    }

    [Fact]
    public void AScenarioTheRunnerCannotRun_OneLineSayingWhy_Exit2()
    {
        var path = File(Case1.Replace("    read path\n", "    hold-mmap-lock write 1ms\n", StringComparison.Ordinal));

        var (code, o, e) = Cli(new CalibrationHost(true, "/usr/bin/bpftrace", "/usr/bin/cc", true), "calibrate", "--scenario", path);

        AssertOneLineError(code, o, e, "cannot run on the real kernel: hold-mmap-lock has no real-kernel form");
    }

    [Fact]
    public void ScenarioWithCaseOptions_Exit2()
    {
        var (code, o, e) = Cli(new CalibrationHost(true, "/usr/bin/bpftrace", "/usr/bin/cc", true), "calibrate", "--scenario", File(Case1), "--trials", "5");

        AssertOneLineError(code, o, e, "--trials does not apply");
    }
}

/// <summary>`actorkernel calibrate --random N`'s mistakes and missing preconditions: one line, exit 2, nothing written.</summary>
public sealed class CalibrateRandomCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("actorkernel-random-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(new[] { "--random", "0" }, "--random expects a whole number from 1 to 100000, got '0'")]
    [InlineData(new[] { "--random", "5", "--seed", "x" }, "--seed expects a whole number")]
    [InlineData(new[] { "--seed", "3" }, "--seed goes with --random")]
    [InlineData(new[] { "--random", "5", "--trials", "3" }, "--trials does not apply")]
    [InlineData(new[] { "--random", "5", "--scenario", "x.scenario" }, "--scenario and --random do not go together")]
    [InlineData(new[] { "--random", "5" }, "calibrate cannot run here: not root")]
    public void Mistakes_Exit2OneLine_NothingWritten(string[] options, string expected)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var outDir = Path.Combine(_dir, "out");

        var code = CliMain.Run(["calibrate", .. options, "--out", outDir], stdout, stderr, () => new CalibrationHost(false, null, null, true));

        Assert.Equal(2, code);
        Assert.Equal("", stdout.ToString());
        var line = Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line);
        Assert.False(Directory.Exists(outDir));
    }
}
