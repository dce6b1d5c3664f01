using ActorKernel.Experiments.Running;

namespace ActorKernel.Cli.Tests;

/// <summary>A local sweep killed or interrupted mid-way, then resumed: the result equals the uninterrupted one.</summary>
[Collection(ProcessTests.Name)]
public sealed class ResumeEndToEndTests : IDisposable
{
    private static readonly string[] Sweep = ["run", "--set", "workload.fork-exec.execs=10", "--runs-per-point", "4", "--seed", "4", "--parallel", "1"];

    // The interrupted process stops starting runs after this many (ExperimentRunner.HoldAfterRunsVariable)
    // and waits for the kill or Ctrl-C: the interruption lands at a known point instead of racing the sweep.
    private const int Held = 7;

    private static CliProcess StartHeld(string dir) =>
        CliProcess.Start([.. Sweep, "--out", dir], new Dictionary<string, string> { [ExperimentRunner.HoldAfterRunsVariable] = $"{Held}" });

    private readonly string _dir = Directory.CreateTempSubdirectory("actorkernel-resume-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Out(string name) => Path.Combine(_dir, name);

    private static (int Code, string Out, string Err) Cli(params string[] args) => InProcessCli.Run(args);

    private byte[] Uninterrupted(string file)
    {
        var dir = Out("whole");
        if (!Directory.Exists(dir)) Assert.Equal(0, Cli([.. Sweep, "--out", dir]).Code);
        return File.ReadAllBytes(Path.Combine(dir, file));
    }

    [Fact]
    public void SigkilledSweep_ResumedWithResume_EqualsTheUninterruptedRun()
    {
        var dir = Out("killed");
        using (var p = StartHeld(dir))
        {
            CliProcess.WaitForLines(Path.Combine(dir, "runs.jsonl"), 1 + Held, p);
            p.Kill();
        }
        Assert.Equal(Held, CliProcess.CountLines(Path.Combine(dir, "runs.jsonl")) - 1);
        Assert.False(File.Exists(Path.Combine(dir, "results.json")));

        // Starting afresh over it is refused: the finished runs are not thrown away by mistake.
        var fresh = Cli([.. Sweep, "--out", dir]);
        Assert.Equal(2, fresh.Code);
        Assert.Contains($"--resume {dir}", fresh.Err);

        var resumed = Cli([.. Sweep, "--resume", dir]);
        Assert.True(resumed.Code == 0, resumed.Err);
        Assert.Contains($"{Held} of 96 runs already done, {96 - Held} to run", resumed.Err);
        foreach (var f in new[] { "results.json", "results.csv", "summary.md", "runs.jsonl" })
            Assert.Equal(Uninterrupted(f), File.ReadAllBytes(Path.Combine(dir, f)));
    }

    [Fact]
    public void CtrlC_WritesTheFinishedRuns_Exit130_AndResumeCompletesThem()
    {
        var dir = Out("interrupted");
        using (var p = StartHeld(dir))
        {
            CliProcess.WaitForLines(Path.Combine(dir, "runs.jsonl"), 1 + Held, p);
            p.Interrupt();
            Assert.Equal(130, p.WaitForExit());
            Assert.Contains($"continue with --resume {dir}", p.Output);
        }
        Assert.True(File.Exists(Path.Combine(dir, "results.json")));
        Assert.Equal(Held, CliProcess.CountLines(Path.Combine(dir, "runs.jsonl")) - 1);

        var resumed = Cli([.. Sweep, "--resume", dir]);
        Assert.True(resumed.Code == 0, resumed.Err);
        Assert.Contains($"{Held} of 96 runs already done, {96 - Held} to run", resumed.Err);
        Assert.Equal(Uninterrupted("results.json"), File.ReadAllBytes(Path.Combine(dir, "results.json")));
    }

    [Fact]
    public void ResumeWithOtherSettings_OneLine_Exit2_FolderUntouched()
    {
        var dir = Out("other");
        Assert.Equal(0, Cli([.. Sweep, "--out", dir]).Code);
        var before = File.ReadAllBytes(Path.Combine(dir, "runs.jsonl"));

        var (code, stdout, stderr) = Cli([.. Sweep, "--seed", "5", "--resume", dir]);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains($"cannot resume {dir}", line);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(dir, "runs.jsonl")));
    }

    [Theory]
    [InlineData(new[] { "run", "--listen", "127.0.0.1:4053" }, "--listen is an option of a cluster run; add --cluster")]
    [InlineData(new[] { "run", "--cluster", "--listen", "localhost" }, "--listen expects HOST:PORT")]
    [InlineData(new[] { "run", "--cluster", "--min-workers", "0" }, "--min-workers 0 needs --slots N")]
    [InlineData(new[] { "run", "--resume", "/nonexistent/actorkernel" }, "--resume expects the output folder of an interrupted run")]
    [InlineData(new[] { "worker" }, "worker needs --join HOST:PORT")]
    [InlineData(new[] { "worker", "--join", "127.0.0.1:99999" }, "--join expects a port from 0 to 65535")]
    [InlineData(new[] { "worker", "--join", "127.0.0.1:4053", "--slots", "0" }, "--slots expects a whole number from 1 to 1024")]
    public void BadClusterOrResumeArguments_OneLine_Exit2(string[] args, string expected)
    {
        var (code, stdout, stderr) = Cli(args);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains(expected, line);
    }
}
