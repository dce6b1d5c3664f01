using System.Text;

namespace ActorKernel.Cli.Tests;

/// <summary>`actorkernel trace`: writes trace.json for a run of an output folder, and refuses in one line.</summary>
public sealed class TraceCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"ak-trace-{Guid.NewGuid():N}");

    private string Dir => Path.Combine(_root, "out");

    private string TraceFile => Path.Combine(_root, "trace.json");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private void RunForkExec()
    {
        Directory.CreateDirectory(_root);
        var (code, _, stderr) = InProcessCli.Run("run", "--set", "workload.fork-exec.execs=2", "--parallel", "2", "--out", Dir);
        Assert.True(code == 0, stderr);
    }

    [Fact]
    public void WritesTheRunAsAChromeTrace()
    {
        RunForkExec();
        var (code, stdout, stderr) = InProcessCli.Run("trace", Dir, "--run", "1", "--out", TraceFile);
        Assert.True(code == 0, stderr);
        Assert.Contains("ui.perfetto.dev", stdout);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(TraceFile));
        Assert.Equal(1, doc.RootElement.GetProperty("otherData").GetProperty("run").GetInt32());
        Assert.Contains(doc.RootElement.GetProperty("traceEvents").EnumerateArray(), e => e.GetProperty("ph").GetString() == "i"
            && e.GetProperty("cat").GetString()!.StartsWith("probe-read", StringComparison.Ordinal));
        Assert.False(File.Exists(TraceFile + ".tmp"));
    }

    [Fact]
    public void AJournalFromAnotherVersion_IsRefusedInOneLine_Exit2_NothingWritten()
    {
        RunForkExec();
        var journal = Path.Combine(Dir, "runs.jsonl");
        var text = File.ReadAllText(journal);
        var version = System.Text.RegularExpressions.Regex.Match(text, "\"version\":\"([^\"]+)\"").Groups[1].Value;
        File.WriteAllText(journal, text.Replace($"\"version\":\"{version}\"", "\"version\":\"0.9.0+older\""), new UTF8Encoding(false));
        var (code, stdout, stderr) = InProcessCli.Run("trace", Dir, "--out", TraceFile);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("was made by ActorKernel 0.9.0+older", stderr);
        Assert.False(File.Exists(TraceFile));
    }

    [Theory]
    [InlineData("--run", "x", "--run expects a whole number")]
    [InlineData("--bogus", null, "unknown option '--bogus' for trace")]
    public void BadArguments_OneLineExit2(string option, string? value, string expected)
    {
        Directory.CreateDirectory(Dir);
        var args = value is null ? new[] { "trace", Dir, option } : new[] { "trace", Dir, option, value };
        var (code, _, stderr) = InProcessCli.Run(args);
        Assert.Equal(2, code);
        Assert.Contains(expected, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public void AnOutFileInsideTheOutputFolder_IsRefused()
    {
        RunForkExec();
        var (code, _, stderr) = InProcessCli.Run("trace", Dir, "--out", Path.Combine(Dir, "trace.json"));
        Assert.Equal(2, code);
        Assert.Contains("is inside the output folder", stderr);
        Assert.False(File.Exists(Path.Combine(Dir, "trace.json")));
    }
}
