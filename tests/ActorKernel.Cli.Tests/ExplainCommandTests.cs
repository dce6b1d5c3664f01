using System.Text;

namespace ActorKernel.Cli.Tests;

/// <summary>`actorkernel explain`: from the run's footer to the chain, and the one-line refusals.</summary>
public sealed class ExplainCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"ak-explain-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private string RunForkExec()
    {
        var (code, stdout, stderr) = InProcessCli.Run("run", "--set", "workload.fork-exec.execs=2", "--parallel", "2", "--out", _dir);
        Assert.True(code == 0, stderr);
        return stdout;
    }

    [Fact]
    public void TheRunsFooterNamesTheCommand_AndItExplainsTheFirstFailedRead()
    {
        var footer = RunForkExec().Split('\n').Single(l => l.StartsWith("Why did a read fail?", StringComparison.Ordinal));
        Assert.EndsWith($"actorkernel explain {_dir} --run 0", footer.TrimEnd());
        var (code, stdout, stderr) = InProcessCli.Run("explain", _dir, "--run", "0");
        Assert.True(code == 0, stderr);
        Assert.Contains("FAILED: fork-skipped-pte", stdout);
        Assert.Contains("vma_needs_copy() was false", stdout);
        var (jsonCode, json, _) = InProcessCli.Run("explain", _dir, "--run", "0", "--read", "0", "--json");
        Assert.Equal(0, jsonCode);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal("actorkernel/explain/v1", doc.RootElement.GetProperty("schema").GetString());
        Assert.Contains(doc.RootElement.GetProperty("chain").EnumerateArray(), l => l.GetProperty("kind").GetString() == "fork-skipped-pte");
    }

    [Fact]
    public void AJournalFromAnotherVersion_IsRefusedInOneLine_Exit2()
    {
        RunForkExec();
        var journal = Path.Combine(_dir, "runs.jsonl");
        var text = File.ReadAllText(journal);
        var version = System.Text.RegularExpressions.Regex.Match(text, "\"version\":\"([^\"]+)\"").Groups[1].Value;
        File.WriteAllText(journal, text.Replace($"\"version\":\"{version}\"", "\"version\":\"0.9.0+older\""), new UTF8Encoding(false));
        var (code, stdout, stderr) = InProcessCli.Run("explain", _dir);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("was made by ActorKernel 0.9.0+older", stderr);
    }

    [Theory]
    [InlineData("--read", "x", "--read expects a whole number")]
    [InlineData("--bogus", null, "unknown option '--bogus' for explain")]
    public void BadArguments_OneLineExit2(string option, string? value, string expected)
    {
        Directory.CreateDirectory(_dir);
        var args = value is null ? new[] { "explain", _dir, option } : new[] { "explain", _dir, option, value };
        var (code, _, stderr) = InProcessCli.Run(args);
        Assert.Equal(2, code);
        Assert.Contains(expected, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public void NotAnOutputFolder_OneLineExit2()
    {
        Directory.CreateDirectory(_dir);
        var (code, _, stderr) = InProcessCli.Run("explain", _dir);
        Assert.Equal(2, code);
        Assert.Contains("is not an ActorKernel output folder", stderr);
    }
}
