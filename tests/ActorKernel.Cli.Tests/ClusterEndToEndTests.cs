using System.Text.Json;
using System.Text.RegularExpressions;
using ActorKernel.Experiments.Running;

namespace ActorKernel.Cli.Tests;

/// <summary>
/// A coordinator and workers as separate processes on loopback, as a user starts them. Every
/// process is bounded in time and killed when the test ends (<see cref="CliProcess"/>).
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class ClusterEndToEndTests : IDisposable
{
    // 24 points × 4 seeds = 96 runs: long enough that a kill lands mid-sweep.
    private static readonly string[] Sweep = ["run", "--set", "workload.fork-exec.execs=10", "--runs-per-point", "4", "--seed", "3"];

    private readonly string _dir = Directory.CreateTempSubdirectory("actorkernel-cluster-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Out(string name) => Path.Combine(_dir, name);

    private string Local()
    {
        var dir = Out("local");
        if (!Directory.Exists(dir))
            Assert.Equal(0, CliMain.Run([.. Sweep, "--parallel", "2", "--out", dir], new StringWriter(), new StringWriter()));
        return dir;
    }

    private static CliProcess Coordinator(string outDir, params string[] extra) =>
        CliProcess.Start([.. Sweep, "--out", outDir, "--cluster", "--listen", "127.0.0.1:0", .. extra]);

    private static string Port(CliProcess coordinator) =>
        coordinator.WaitForLine(@"coordinator listening on 127\.0\.0\.1:(\d+)").Groups[1].Value;

    /// <summary>A one-slot worker; with <paramref name="holdAfterRuns"/>, it starts no run after that many (ExperimentRunner.HoldAfterRunsVariable).</summary>
    private static CliProcess Worker(string port, int? holdAfterRuns = null) =>
        CliProcess.Start(["worker", "--join", $"127.0.0.1:{port}", "--slots", "1"],
            holdAfterRuns is { } n ? new Dictionary<string, string> { [ExperimentRunner.HoldAfterRunsVariable] = $"{n}" } : new Dictionary<string, string>());

    [Fact]
    public void CoordinatorAndTwoWorkers_WriteTheSameResultsAsTheLocalRun()
    {
        using var coordinator = Coordinator(Out("cluster"), "--min-workers", "2");
        var port = Port(coordinator);
        using var w1 = Worker(port);
        using var w2 = Worker(port);

        Assert.True(coordinator.WaitForExit() == 0, coordinator.Output);
        Assert.Equal(0, w1.WaitForExit());
        Assert.Equal(0, w2.WaitForExit());
        Assert.Contains("the coordinator says: sweep complete", w1.Output);
        // Both workers ran something: the per-worker counts of the last progress line are each at least 1.
        Assert.Matches(@"96/96 runs; 127\.0\.0\.1:\d+ [1-9]\d* \([\d.]+/s\), 127\.0\.0\.1:\d+ [1-9]\d* \(", coordinator.Output);
        foreach (var f in new[] { "results.json", "results.csv", "summary.md", "runs.jsonl" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(Local(), f)), File.ReadAllBytes(Path.Combine(Out("cluster"), f)));
    }

    [Fact]
    public void WorkerKilledMidSweep_ItsRunsAreReissued_EachRunRecordedOnce()
    {
        var journal = Path.Combine(Out("killed"), "runs.jsonl");
        using var coordinator = Coordinator(Out("killed"), "--min-workers", "2");
        var port = Port(coordinator);
        using var victim = Worker(port);
        using var survivor = Worker(port);
        CliProcess.WaitForLines(journal, 1 + 6, coordinator);
        victim.Kill();

        Assert.True(coordinator.WaitForExit() == 0, coordinator.Output);
        Assert.Equal(0, survivor.WaitForExit());
        Assert.Matches(@"lost worker 127\.0\.0\.1:\d+ \(unreachable\); re-issued \d+ run\(s\)", coordinator.Output);
        var runs = File.ReadAllLines(journal).Skip(1).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("run").GetInt32()).ToArray();
        Assert.Equal(Enumerable.Range(0, 96), runs);
        Assert.Equal(File.ReadAllBytes(Path.Combine(Local(), "results.json")), File.ReadAllBytes(Path.Combine(Out("killed"), "results.json")));
    }

    [Fact]
    public void CoordinatorKilledMidSweep_WorkersStop_AndResumeCompletesIt()
    {
        var dir = Out("coordinator-killed");
        using var coordinator = Coordinator(dir, "--min-workers", "1");
        var port = Port(coordinator);
        // The worker's one slot stops starting runs after 5: the kill lands after exactly 5 recorded runs.
        using var worker = Worker(port, holdAfterRuns: 5);
        CliProcess.WaitForLines(Path.Combine(dir, "runs.jsonl"), 1 + 5, coordinator);
        coordinator.Kill();
        Assert.Equal(1 + 5, CliProcess.CountLines(Path.Combine(dir, "runs.jsonl")));

        Assert.Equal(1, worker.WaitForExit());
        Assert.Contains("the coordinator became unreachable", worker.Output);

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.True(CliMain.Run([.. Sweep, "--resume", dir], stdout, stderr) == 0, stderr.ToString());
        Assert.Contains("5 of 96 runs already done, 91 to run", stderr.ToString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(Local(), "results.json")), File.ReadAllBytes(Path.Combine(dir, "results.json")));
    }

    [Fact]
    public void WorkerJoiningLate_StartsPullingWork()
    {
        var dir = Out("late");
        using var coordinator = Coordinator(dir, "--min-workers", "1");
        var port = Port(coordinator);
        // The early worker runs exactly 2 runs, then holds the 2 it has been handed next (its slot
        // and its prefetch): the sweep cannot end before the late worker joins, whatever the timing.
        using var early = Worker(port, holdAfterRuns: 2);
        var earlyAddress = early.WaitForLine(@"worker listening on (127\.0\.0\.1:\d+)").Groups[1].Value;
        CliProcess.WaitForLines(Path.Combine(dir, "runs.jsonl"), 1 + 2, coordinator);
        using var late = Worker(port);
        var lateAddress = late.WaitForLine(@"worker listening on (127\.0\.0\.1:\d+)").Groups[1].Value;
        coordinator.WaitForLine($"worker {Regex.Escape(lateAddress)} joined");
        // Sent away, the early worker leaves; the coordinator re-issues its 2 held runs to the late one.
        early.Terminate();

        Assert.Equal(130, early.WaitForExit());
        Assert.True(coordinator.WaitForExit() == 0, coordinator.Output);
        Assert.Equal(0, late.WaitForExit());
        Assert.Contains("running experiment 'fork-exec' (96 runs)", late.Output);
        // A worker stopping on SIGTERM may be seen leaving or, if its node goes first, unreachable: either way its runs are re-issued.
        Assert.Matches($@"lost worker {Regex.Escape(earlyAddress)} \((left the cluster|unreachable)\); re-issued 2 run\(s\) it had in flight", coordinator.Output);
        Assert.Matches($@"96/96 runs; .*{Regex.Escape(earlyAddress)} 2 \(.*", coordinator.Output);
        Assert.Matches($@"96/96 runs; .*{Regex.Escape(lateAddress)} 94 \(.*", coordinator.Output);
        Assert.Equal(File.ReadAllBytes(Path.Combine(Local(), "results.json")), File.ReadAllBytes(Path.Combine(dir, "results.json")));
    }

    [Fact]
    public void CoordinatorOnAPortInUse_OneLine_Exit2_NoFolder()
    {
        var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
            var stderr = new StringWriter();
            var code = CliMain.Run(["run", "--out", Out("in-use"), "--cluster", "--listen", $"127.0.0.1:{port}"], new StringWriter(), stderr);

            Assert.Equal(2, code);
            var line = Assert.Single(stderr.ToString().TrimEnd('\n').Split('\n'));
            Assert.Contains($"cannot listen on 127.0.0.1:{port}", line);
            Assert.False(Directory.Exists(Out("in-use")));
        }
        finally
        {
            taken.Stop();
        }
    }

    [Fact]
    public void SigtermStopsACoordinator_Exit130_WritingWhatFinished()
    {
        using var coordinator = Coordinator(Out("term"), "--min-workers", "1");
        coordinator.WaitForLine("waiting for workers: 0 of 1 joined");
        coordinator.Terminate();

        Assert.Equal(130, coordinator.WaitForExit());
        Assert.Contains($"continue with --resume {Out("term")}", coordinator.Output);
    }

    [Fact]
    public void WorkerOfAnotherVersion_OrExperiment_IsNotSentWork()
    {
        // The worker's check, without processes: the experiment it rebuilds must hash the same.
        var offered = ActorKernel.Experiments.Session.ExperimentSession.Prepare(null, ["workload.fork-exec.execs=10"]).Identity;
        var other = ActorKernel.Experiments.Session.ExperimentSession.Prepare(null, ["workload.fork-exec.execs=11"]).Identity;
        Assert.Null(offered.Mismatch(offered));
        Assert.Contains("configuration hash", offered.Mismatch(other));
        Assert.Contains("9.9.9", offered.Mismatch(offered with { Version = "9.9.9" }));
    }
}

/// <summary>Tests that start processes run one at a time, so their timeouts are not eaten by each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessTests
{
    public const string Name = "processes";
}
