namespace ActorKernel.Cli.Tests;

/// <summary>`actorkernel run --trace [N]`: trace.json of one run in the output folder, listed and replaced with it; bad use is one line, exit 2, nothing written.</summary>
public sealed class RunTraceTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"ak-runtrace-{Guid.NewGuid():N}");

    private string Dir => Path.Combine(_root, "out");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private int TracedRun(params string[] trace)
    {
        Directory.CreateDirectory(_root);
        var (code, stdout, stderr) = InProcessCli.Run(new[] { "run", "--set", "workload.fork-exec.execs=2", "--parallel", "2", "--out", Dir }.Concat(trace).ToArray());
        Assert.True(code == 0, stderr);
        Assert.Contains("trace.json", stdout);
        Assert.Contains("trace.json", File.ReadAllLines(Path.Combine(Dir, ".actorkernel-files")));
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "trace.json")));
        return doc.RootElement.GetProperty("otherData").GetProperty("run").GetInt32();
    }

    [Fact]
    public void Trace_WithoutARun_TracesTheRunTheExplainFooterNames()
    {
        // The default sweep's run 0 (fork, rodata, no child touch) fails its reads: it is the first with a failed read.
        Assert.Equal(0, TracedRun("--trace"));
    }

    [Fact]
    public void Trace_N_TracesRunN_AndTheSameRunGivesTheSameBytes()
    {
        Assert.Equal(5, TracedRun("--trace", "5"));
        var first = File.ReadAllBytes(Path.Combine(Dir, "trace.json"));
        Assert.Equal(5, TracedRun("--trace", "5"));
        Assert.Equal(first, File.ReadAllBytes(Path.Combine(Dir, "trace.json")));
    }

    [Theory]
    [InlineData("99", "--trace 99: the experiment has 24 runs (0 to 23)")]
    [InlineData("99999999999", "--trace expects a whole number from 0 to")]
    public void Trace_OutOfRange_OneLineExit2_NothingWritten(string run, string expected)
    {
        var (code, stdout, stderr) = InProcessCli.Run("run", "--parallel", "2", "--out", Dir, "--trace", run);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains(expected, stderr);
        Assert.False(Directory.Exists(Dir));
    }

    [Fact]
    public void Trace_WithSchedule_IsRefused()
    {
        var (code, _, stderr) = InProcessCli.Run("run", "--trace", "--schedule", "s.json", "--out", Dir);
        Assert.Equal(2, code);
        Assert.Contains("--trace traces a run of a sweep", stderr);
        Assert.False(Directory.Exists(Dir));
    }
}
