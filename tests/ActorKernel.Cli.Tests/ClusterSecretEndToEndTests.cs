using System.Text.RegularExpressions;
using ActorKernel.Cluster;

namespace ActorKernel.Cli.Tests;

/// <summary>
/// The cluster secret as a user meets it: processes on loopback (the secret is checked whenever a
/// node has one), and the refusal to listen off loopback without one, which happens before any
/// address is bound.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class ClusterSecretEndToEndTests : IDisposable
{
    private const string Secret = "5f0c9a7e2b4d61f8a3c0e9b7d2f4a6c1";

    // 24 points × 1 seed: a short sweep.
    private static readonly string[] Sweep = ["run", "--set", "workload.fork-exec.execs=10", "--runs-per-point", "1", "--seed", "3"];

    private readonly string _dir = Directory.CreateTempSubdirectory("actorkernel-cluster-secret-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Out(string name) => Path.Combine(_dir, name);

    private static CliProcess Worker(string port, string? secret) =>
        CliProcess.Start(["worker", "--join", $"127.0.0.1:{port}", "--slots", "1"],
            secret is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [ClusterSecret.EnvironmentVariable] = secret });

    // The refusals all say "cluster secret"; nothing else a node prints does.
    private static string[] Lines(string output, string containing) =>
        output.Split('\n').Where(l => l.Contains(containing, StringComparison.Ordinal)).ToArray();

    [Fact]
    public void WrongAndMissingSecrets_AreRefused_OneLineEachSide_TheRightOneJoins()
    {
        var secretFile = Out("secret");
        File.WriteAllText(secretFile, Secret + "\n");
        using var coordinator = CliProcess.Start([.. Sweep, "--out", Out("swept"), "--cluster", "--listen", "127.0.0.1:0", "--min-workers", "1", "--secret-file", secretFile]);
        var port = coordinator.WaitForLine(@"coordinator listening on 127\.0\.0\.1:(\d+)").Groups[1].Value;
        coordinator.WaitForLine("waiting for workers: 0 of 1 joined");

        using var wrong = Worker(port, "a secret from another cluster");
        Assert.Equal(2, wrong.WaitForExit());
        var wrongAddress = Regex.Match(wrong.Output, @"worker listening on (127\.0\.0\.1:\d+)").Groups[1].Value;
        Assert.Equal($"actorkernel: error: the coordinator at 127.0.0.1:{port} refused this worker: its cluster secret differs from the coordinator's",
            Assert.Single(Lines(wrong.Output, "cluster secret")));
        coordinator.WaitForLine($"^refused worker {Regex.Escape(wrongAddress)}: its cluster secret differs from the coordinator's$");

        using var missing = Worker(port, null);
        Assert.Equal(2, missing.WaitForExit());
        var missingAddress = Regex.Match(missing.Output, @"worker listening on (127\.0\.0\.1:\d+)").Groups[1].Value;
        Assert.Equal($"actorkernel: error: the coordinator at 127.0.0.1:{port} refused this worker: it has no cluster secret, and this coordinator requires one",
            Assert.Single(Lines(missing.Output, "cluster secret")));
        coordinator.WaitForLine($"^refused worker {Regex.Escape(missingAddress)}: it has no cluster secret, and this coordinator requires one$");

        using var right = Worker(port, Secret);
        Assert.Equal(0, right.WaitForExit());
        Assert.True(coordinator.WaitForExit() == 0, coordinator.Output);
        Assert.Contains("the coordinator says: sweep complete", right.Output);
        Assert.Empty(Lines(right.Output, "cluster secret"));
        // One line for each refused worker, none for the one admitted.
        Assert.Equal(2, Lines(coordinator.Output, "cluster secret").Length);
        Assert.Matches(@"24/24 runs; 127\.0\.0\.1:\d+ 24 \(", coordinator.Output);
    }

    [Fact]
    public void AWorkerWithASecret_RefusesACoordinatorWithout_OneLineEachSide()
    {
        using var coordinator = CliProcess.Start([.. Sweep, "--out", Out("open"), "--cluster", "--listen", "127.0.0.1:0", "--min-workers", "1"]);
        var port = coordinator.WaitForLine(@"coordinator listening on 127\.0\.0\.1:(\d+)").Groups[1].Value;
        coordinator.WaitForLine("waiting for workers: 0 of 1 joined");

        using var worker = Worker(port, Secret);

        Assert.Equal(2, worker.WaitForExit());
        Assert.Equal($"actorkernel: error: the coordinator at 127.0.0.1:{port} has no cluster secret, and this worker has one; give both the same",
            Assert.Single(Lines(worker.Output, "cluster secret")));
        coordinator.WaitForLine(@"^worker 127\.0\.0\.1:\d+ refused the experiment: it has a cluster secret, and this coordinator has none$");
        coordinator.Terminate();
        Assert.Equal(130, coordinator.WaitForExit());
        Assert.Single(Lines(coordinator.Output, "cluster secret"));
    }

    [Fact]
    public void CoordinatorOffLoopbackWithoutASecret_OneLine_Exit2_NothingWritten()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = CliMain.Run([.. Sweep, "--out", Out("wide-open"), "--cluster", "--listen", "0.0.0.0:0"], stdout, stderr);

        Assert.Equal(2, code);
        Assert.Equal("actorkernel: error: --listen 0.0.0.0 is not a loopback address, so the cluster needs a shared secret: " +
                     "give --secret-file PATH or set ACTORKERNEL_CLUSTER_SECRET on every node (docs/cluster.md)",
            Assert.Single(stderr.ToString().TrimEnd('\n').Split('\n')));
        Assert.False(Directory.Exists(Out("wide-open")));
    }

    [Fact]
    public void WorkerOffLoopbackWithoutASecret_OneLine_Exit2()
    {
        var stderr = new StringWriter();

        var code = CliMain.Run(["worker", "--join", "127.0.0.1:4053", "--host", "0.0.0.0"], new StringWriter(), stderr);

        Assert.Equal(2, code);
        Assert.StartsWith("actorkernel: error: --host 0.0.0.0 is not a loopback address, so the cluster needs a shared secret",
            Assert.Single(stderr.ToString().TrimEnd('\n').Split('\n')));
    }

    [Theory]
    [InlineData("short", "has 5 characters; a cluster secret needs at least 16")]
    [InlineData(null, "does not exist")]
    public void ABadSecretFile_OneLine_Exit2_BeforeAnythingStarts(string? content, string expected)
    {
        var file = Out("secret-file");
        if (content is not null) File.WriteAllText(file, content);
        foreach (var args in new[]
                 {
                     new[] { "run", "--out", Out("never"), "--cluster", "--secret-file", file },
                     new[] { "worker", "--join", "127.0.0.1:4053", "--secret-file", file },
                 })
        {
            var stderr = new StringWriter();
            Assert.Equal(2, CliMain.Run(args, new StringWriter(), stderr));
            Assert.Contains(expected, Assert.Single(stderr.ToString().TrimEnd('\n').Split('\n')));
        }
        Assert.False(Directory.Exists(Out("never")));
    }

    [Fact]
    public void SecretFile_IsAClusterOption_AndTheSecretIsNeverAnArgument()
    {
        var stderr = new StringWriter();
        Assert.Equal(2, CliMain.Run(["run", "--secret-file", "x"], new StringWriter(), stderr));
        Assert.Contains("--secret-file is an option of a cluster run", stderr.ToString());
        stderr = new StringWriter();
        Assert.Equal(2, CliMain.Run(["worker", "--join", "127.0.0.1:4053", "--secret", Secret], new StringWriter(), stderr));
        Assert.Contains("unknown argument '--secret'", stderr.ToString());
    }
}
