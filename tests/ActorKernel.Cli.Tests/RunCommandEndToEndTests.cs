namespace ActorKernel.Cli.Tests;

/// <summary>`actorkernel run` as a user calls it, in process: exit status, what is printed, what is written.</summary>
public sealed class RunCommandEndToEndTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("actorkernel-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int Code, string Out, string Err) Cli(params string[] args) => InProcessCli.Run(args);

    private string Out(string name) => Path.Combine(_dir, name);

    [Fact]
    public void DefaultExperiment_PrintsTheTable_AndWritesEveryFile()
    {
        var (code, stdout, stderr) = Cli("run", "--set", "workload.fork-exec.execs=4", "--out", Out("default"));

        Assert.True(code == 0, stderr);
        Assert.Contains("fork-skipped-pte", stdout);
        Assert.Contains("failure rate (95% CI)", stdout);
        foreach (var f in new[] { "results.json", "results.csv", "summary.md", "effective.conf" })
            Assert.True(File.Exists(Path.Combine(Out("default"), f)), f);
        Assert.Contains("actorkernel/results/v1", File.ReadAllText(Path.Combine(Out("default"), "results.json")));
        // summary.md holds the printed table's rows.
        var summary = File.ReadAllText(Path.Combine(Out("default"), "summary.md"));
        Assert.Contains("| fork | rodata | none | nofault |", summary);
    }

    [Fact]
    public void SameSeedTwice_ByteIdenticalResults()
    {
        var a = Cli("run", "--seed", "5", "--set", "workload.fork-exec.execs=3", "--parallel", "1", "--out", Out("a"));
        var b = Cli("run", "--seed", "5", "--set", "workload.fork-exec.execs=3", "--parallel", "2", "--out", Out("b"));
        Assert.Equal(0, a.Code);
        Assert.Equal(0, b.Code);
        foreach (var f in new[] { "results.json", "results.csv", "summary.md", "effective.conf" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(Out("a"), f)), File.ReadAllBytes(Path.Combine(Out("b"), f)));
    }

    [Fact]
    public void MisspelledKey_OneLineNamingIt_Exit2_NothingWritten()
    {
        var (code, stdout, stderr) = Cli("run", "--set", "workload.fork-exec.spwan=vfork", "--out", Out("bad"));

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("workload.fork-exec.spwan", line);
        Assert.Contains("workload.fork-exec.spawn", line);
        Assert.False(Directory.Exists(Out("bad")));
    }

    [Fact]
    public void MisspelledKeyInAFile_NamesTheFile()
    {
        var file = Out("typo.conf");
        File.WriteAllText(file, "experiment { name = typo }\nactor-kernel.workload.fork-exec.execz = 3\n");
        var (code, _, stderr) = Cli("run", file, "--out", Out("typo"));
        Assert.Equal(2, code);
        Assert.Contains("execz", stderr);
        Assert.Contains("typo.conf", stderr);
        Assert.False(Directory.Exists(Out("typo")));
    }

    [Theory]
    [InlineData("run --seed minus-one", "--seed")]
    [InlineData("run --bogus", "--bogus")]
    [InlineData("run --set nonsense", "--set")]
    [InlineData("run no-such-file.conf", "no-such-file.conf")]
    [InlineData("frobnicate", "frobnicate")]
    public void BadArguments_OneLine_Exit2(string args, string named)
    {
        var (code, stdout, stderr) = Cli(args.Split(' '));
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains(named, stderr);
    }

    [Fact]
    public void Help_ExitsZero_AndNamesTheRunCommand()
    {
        var (code, stdout, _) = Cli("help");
        Assert.Equal(0, code);
        Assert.Contains("actorkernel run", stdout);
    }

    [Fact]
    public void SleepableOn414_OneLineNamingProfileAndAttachPoint_Exit2_NothingWritten()
    {
        var (code, stdout, stderr) = Cli("run", "--set", "kernel.profile=\"4.14\"", "--set", "experiment.policies=[nofault, sleepable]", "--out", Out("sleepable"));

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("policy sleepable is not available at sys_enter_execve on kernel profile 4.14", line);
        Assert.False(Directory.Exists(Out("sleepable")));
    }

    [Fact]
    public void DefaultExperiment_WritesPlots()
    {
        var (code, stdout, stderr) = Cli("run", "--set", "workload.fork-exec.execs=2", "--out", Out("plots"));
        Assert.True(code == 0, stderr);
        Assert.True(File.Exists(Path.Combine(Out("plots"), "failures-by-cause.png")));
        Assert.Contains("failures-by-cause.png", stdout);
    }
}
