namespace ActorKernel.Cli.Tests;

/// <summary>`actorkernel explore` and `run --schedule`: violating schedules saved, shrunk, and replayed byte for byte.</summary>
public sealed class ExploreCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("actorkernel-explore-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Experiment()
    {
        var path = Path.Combine(_dir, "churn.conf");
        File.WriteAllText(path, """
            experiment {
              name = "churn-race"
              policies = [trylock-vma]
            }
            actor-kernel {
              workload.fork-exec.execs = 10
              workload.mmap-churn.enabled = on
              workload.mmap-churn.ops-per-s = 100000
              engine.max-delay-ns = 20000
            }
            """);
        return path;
    }

    [Fact]
    public void ViolatingSchedulesAreSaved_ShrunkAndReplayedByteForByte_InThisProcessAndAnother()
    {
        var file = Experiment();
        var outDir = Path.Combine(_dir, "explore");
        var (code, stdout, stderr) = InProcessCli.Run("explore", file, "--property", "probeLatencyNs.max < 3000", "--strategy", "random", "--iterations", "4", "--out", outDir);
        Assert.True(code == 1, stderr);
        Assert.StartsWith("4 schedules, 4 violated (Wilson 95% interval 51.01% to 100%) of 'probeLatencyNs.max < 3000' (random, max-delay-ns 20000)", stdout);
        Assert.Contains("replay: actorkernel run", stdout);
        Assert.True(File.Exists(Path.Combine(outDir, "violation-00003.schedule")));
        var shrunk = File.ReadAllText(Path.Combine(outDir, "shrunk.schedule"));
        var found = File.ReadAllText(Path.Combine(outDir, "violation-00000.schedule"));
        Assert.True(shrunk.Split('\n').Length < found.Split('\n').Length, "shrinking should remove decisions");

        var replayDir = Path.Combine(_dir, "replay");
        var (replayCode, _, replayErr) = InProcessCli.Run("run", file, "--schedule", Path.Combine(outDir, "shrunk.schedule"), "--out", replayDir);
        Assert.True(replayCode == 0, replayErr);
        Assert.Equal(File.ReadAllBytes(Path.Combine(outDir, "shrunk.jsonl")), File.ReadAllBytes(Path.Combine(replayDir, "replay.jsonl")));

        var otherDir = Path.Combine(_dir, "replay-other-process");
        using (var p = CliProcess.Start("run", file, "--schedule", Path.Combine(outDir, "violation-00002.schedule"), "--out", otherDir, "--parallel", "2"))
            Assert.Equal(0, p.WaitForExit());
        Assert.Equal(File.ReadAllBytes(Path.Combine(outDir, "violation-00002.jsonl")), File.ReadAllBytes(Path.Combine(otherDir, "replay.jsonl")));
    }

    [Fact]
    public void APropertyThatHoldsIsExitZero()
    {
        var outDir = Path.Combine(_dir, "ok");
        var (code, stdout, _) = InProcessCli.Run("explore", Experiment(), "--property", "execs == 10 and reads.byCause.no-such-cause == 0", "--strategy", "pct:2", "--iterations", "2", "--out", outDir);
        Assert.Equal(0, code);
        Assert.StartsWith("2 schedules, 0 violated", stdout);
        Assert.Equal(["explore.txt"], Directory.GetFiles(outDir).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("--property|reads.failed ===  0", "'===' is not a comparison")]
    [InlineData("--property|reads.failed == 0 and", "'and' needs a comparison after it")]
    [InlineData("--property|reads.failed == x", "'x' is not a number")]
    [InlineData("--property|reads.failed == 0 xor execs > 1", "expected 'and' or 'or' before 'xor'")]
    [InlineData("--property|bogus.name < 3", "a run has no figure 'bogus.name'")]
    [InlineData("--property|reads.failed == 0|--strategy|pct:0", "--strategy expects random, pct:D")]
    [InlineData("--property|reads.failed == 0|--iterations|0", "--iterations expects a whole number from 1 to 100000")]
    [InlineData("--iterations|3", "explore needs --property")]
    [InlineData("--property|reads.failed == 0|--set|costs.exec-ns=[uniform, 5, 4]", "invalid value '[uniform, 5, 4]' for actor-kernel.costs.exec-ns")]
    public void BadInputIsOneLineExitTwoNothingWritten(string args, string expected)
    {
        var outDir = Path.Combine(_dir, "bad");
        var (code, stdout, stderr) = InProcessCli.Run(["explore", Experiment(), .. args.Split('|'), "--out", outDir]);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains(expected, stderr);
        Assert.False(Directory.Exists(outDir));
    }

    [Theory]
    [InlineData("actorkernel-schedule 1\nseed 1\nc 3 0\n", "line 3 of the schedule")]
    [InlineData("actorkernel-schedule 1\nseed 1\n", "names no run")]
    [InlineData("actorkernel-schedule 1\nseed 1\nrun 5\n", "replays run 5, but this experiment (with these --set values) has 1 runs")]
    [InlineData("hello", "not a schedule")]
    public void ABadScheduleFileIsOneLineExitTwo(string text, string expected)
    {
        var schedule = Path.Combine(_dir, "bad.schedule");
        File.WriteAllText(schedule, text);
        var outDir = Path.Combine(_dir, "bad-replay");
        var (code, _, stderr) = InProcessCli.Run("run", Experiment(), "--schedule", schedule, "--out", outDir);
        Assert.Equal(2, code);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains(expected, stderr);
        Assert.False(Directory.Exists(outDir));
    }
}
