using ActorKernel.Experiments.Session;

namespace ActorKernel.Cluster.Tests;

/// <summary>
/// Real coordinator and worker nodes in this process, on 127.0.0.2 and 127.0.0.3 with a loopback
/// test that counts only 127.0.0.1 as loopback: they stand in for two machines, without leaving
/// this one. Every wait is bounded, as a guard against a hang, never as what makes a test pass.
/// </summary>
public sealed class OffLoopbackNodeTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);
    private static readonly ClusterSecret Secret = ClusterSecret.FromText("the cluster's shared secret", "test");

    private readonly string _dir = Directory.CreateTempSubdirectory("actorkernel-off-loopback-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static bool OnlyLocalhost(string host) => host == "127.0.0.1";

    private static ExperimentSession OneRun() => ExperimentSession.PrepareText("""
        experiment { name = "one", seed = 1, runs-per-point = 1, policies = [nofault] }
        actor-kernel.workload.fork-exec.execs = 3
        """, "one-run (test)", []);

    [Fact]
    public void WithoutASecret_NeitherNodeStarts()
    {
        var coordinator = Assert.Throws<ClusterError>(() => ClusterSweep.Start(new CoordinatorOptions(new Endpoint("127.0.0.2", 0), 1, 0), OnlyLocalhost));
        Assert.StartsWith("--listen 127.0.0.2 is not a loopback address", coordinator.Message);
        var worker = Assert.Throws<ClusterError>(() =>
            WorkerNode.Run(new WorkerOptions(new Endpoint("127.0.0.2", 4053), new Endpoint("127.0.0.3", 0), 1), _ => { }, CancellationToken.None, OnlyLocalhost));
        Assert.StartsWith("--host 127.0.0.3 is not a loopback address", worker.Message);
    }

    [Fact]
    public async Task TheSameSecret_Joins_AndTheSweepCompletes()
    {
        var s = OneRun();
        using var journal = s.OpenJournal(Path.Combine(_dir, "joined"), resume: false);
        using var cluster = ClusterSweep.Start(new CoordinatorOptions(new Endpoint("127.0.0.2", 0), 1, 0, Secret), OnlyLocalhost);
        var waiting = new TaskCompletionSource();
        var sweep = Task.Run(() => cluster.Run(s, journal, n => { if (n is WaitingForWorkers) waiting.TrySetResult(); }, CancellationToken.None));
        // The coordinator actor exists once it waits for workers: a hello before that would be lost.
        await waiting.Task.WaitAsync(Bound);

        var worker = Task.Run(() => WorkerNode.Run(new WorkerOptions(cluster.Bound, new Endpoint("127.0.0.3", 0), 1, Secret), _ => { }, CancellationToken.None, OnlyLocalhost));

        Assert.True(await sweep.WaitAsync(Bound));
        Assert.True(await worker.WaitAsync(Bound));
        Assert.Equal(1, journal.Count);
    }

    [Fact]
    public async Task AnotherSecret_IsRefusedOnBothSides_AndGetsNoWork()
    {
        var s = OneRun();
        using var journal = s.OpenJournal(Path.Combine(_dir, "refused"), resume: false);
        var notices = new List<ClusterNotice>();
        using var stop = new CancellationTokenSource();
        using var cluster = ClusterSweep.Start(new CoordinatorOptions(new Endpoint("127.0.0.2", 0), 1, 0, Secret), OnlyLocalhost);
        var waiting = new TaskCompletionSource();
        var sweep = Task.Run(() => cluster.Run(s, journal, n =>
        {
            lock (notices) notices.Add(n);
            if (n is WaitingForWorkers) waiting.TrySetResult();
        }, stop.Token));
        await waiting.Task.WaitAsync(Bound);
        var other = ClusterSecret.FromText("some other cluster's secret", "test");

        var e = Assert.Throws<ClusterError>(() =>
            WorkerNode.Run(new WorkerOptions(cluster.Bound, new Endpoint("127.0.0.3", 0), 1, other), _ => { }, CancellationToken.None, OnlyLocalhost));

        Assert.Equal($"the coordinator at {cluster.Bound} refused this worker: its cluster secret differs from the coordinator's", e.Message);
        stop.Cancel();
        Assert.False(await sweep.WaitAsync(Bound));
        lock (notices)
        {
            var denied = Assert.Single(notices.OfType<WorkerDenied>());
            Assert.StartsWith("127.0.0.3:", denied.Worker);
            Assert.Empty(notices.OfType<WorkerJoined>());
        }
        Assert.Equal(0, journal.Count);
    }
}
