namespace ActorKernel.Cluster.Tests;

/// <summary>Where a cluster secret comes from, what a proof covers, and when a node refuses to start without one.</summary>
public sealed class ClusterSecretTests : IDisposable
{
    private const string Secret = "correct horse battery staple";

    private readonly string _dir = Directory.CreateTempSubdirectory("actorkernel-secret-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string? NoEnvironment(string name) => null;

    private string WriteFile(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void TheFile_WinsOverTheEnvironment_AndItsTrailingNewlineIsNotPartOfIt()
    {
        var file = WriteFile("secret", Secret + "\n");
        var fromFile = ClusterSecret.Load(file, _ => "another secret, sixteen+ chars")!;
        var fromText = ClusterSecret.FromText(Secret, "test");

        var proof = fromText.Proof(ClusterConfig.WorkerRole, "w", "c");
        Assert.True(fromFile.Verifies(proof, ClusterConfig.WorkerRole, "w", "c"));
    }

    [Fact]
    public void TheEnvironmentVariable_IsUsedWithoutAFile_AndNothingMeansNoSecret()
    {
        var fromEnvironment = ClusterSecret.Load(null, name => name == ClusterSecret.EnvironmentVariable ? Secret : null)!;
        Assert.True(fromEnvironment.Verifies(ClusterSecret.FromText(Secret, "test").Proof("worker", "a", "b"), "worker", "a", "b"));
        Assert.Null(ClusterSecret.Load(null, NoEnvironment));
        Assert.Null(ClusterSecret.Load(null, _ => ""));
    }

    [Fact]
    public void AProof_CoversTheRoleAndBothNonces_AndNeedsTheSameSecret()
    {
        var secret = ClusterSecret.FromText(Secret, "test");
        var proof = secret.Proof(ClusterConfig.WorkerRole, "w1", "c1");

        Assert.True(secret.Verifies(proof, ClusterConfig.WorkerRole, "w1", "c1"));
        Assert.False(secret.Verifies(proof, ClusterConfig.CoordinatorRole, "w1", "c1"));
        Assert.False(secret.Verifies(proof, ClusterConfig.WorkerRole, "w2", "c1"));
        Assert.False(secret.Verifies(proof, ClusterConfig.WorkerRole, "w1", "c2"));
        Assert.False(ClusterSecret.FromText(Secret + "!", "test").Verifies(proof, ClusterConfig.WorkerRole, "w1", "c1"));
        Assert.False(secret.Verifies("", ClusterConfig.WorkerRole, "w1", "c1"));
        Assert.False(secret.Verifies(proof[..^1], ClusterConfig.WorkerRole, "w1", "c1"));
        Assert.DoesNotContain(Secret, proof);
        Assert.NotEqual(ClusterSecret.NewNonce(), ClusterSecret.NewNonce());
    }

    [Theory]
    [InlineData("short\n", "has 5 characters; a cluster secret needs at least 16")]
    [InlineData("", "is empty or not a regular file")]
    public void AFileWithAShortOrNoSecret_IsOneLine(string text, string expected)
    {
        var file = WriteFile("bad", text);
        Assert.Contains(expected, Assert.Throws<ClusterError>(() => ClusterSecret.Load(file, NoEnvironment)).Message);
    }

    [Fact]
    public void AMissingFile_AFolder_AFifo_AndAHugeFile_AreRefusedWithoutReadingThem()
    {
        Assert.Contains("does not exist", Assert.Throws<ClusterError>(() => ClusterSecret.Load(Path.Combine(_dir, "none"), NoEnvironment)).Message);
        Assert.Contains("is a folder", Assert.Throws<ClusterError>(() => ClusterSecret.Load(_dir, NoEnvironment)).Message);
        Assert.Contains("at most 4096 bytes", Assert.Throws<ClusterError>(() => ClusterSecret.Load(WriteFile("huge", new string('x', 5000)), NoEnvironment)).Message);
        // A FIFO with no writer would block a reader for ever.
        var fifo = Path.Combine(_dir, "fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo])) mkfifo.WaitForExit();
        Assert.Contains("not a regular file", Assert.Throws<ClusterError>(() => ClusterSecret.Load(fifo, NoEnvironment)).Message);
        Assert.Contains("not a regular file", Assert.Throws<ClusterError>(() => ClusterSecret.Load("/dev/zero", NoEnvironment)).Message);
    }

    [Fact]
    public void AShortEnvironmentSecret_NamesTheVariable()
    {
        var e = Assert.Throws<ClusterError>(() => ClusterSecret.Load(null, _ => "abc"));
        Assert.Contains(ClusterSecret.EnvironmentVariable, e.Message);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.0.0.2", true)]
    [InlineData("127.255.255.254", true)]
    [InlineData("::1", true)]
    [InlineData("localhost", true)]
    [InlineData("LOCALHOST", true)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("128.0.0.1", false)]
    [InlineData("build-host.example", false)]
    public void Loopback_Is127Slash8_Colon1_AndLocalhost_AnyOtherNameIsNot(string host, bool loopback) =>
        Assert.Equal(loopback, ClusterSecret.IsLoopback(host));

    [Fact]
    public void OffLoopback_ANodeNeedsASecret_NamingTheOptionThatSetTheAddress()
    {
        var e = Assert.Throws<ClusterError>(() => ClusterSecret.RequireOffLoopback(new Endpoint("0.0.0.0", 4053), null, "--listen", ClusterSecret.IsLoopback));
        Assert.Equal("--listen 0.0.0.0 is not a loopback address, so the cluster needs a shared secret: give --secret-file PATH " +
                     "or set ACTORKERNEL_CLUSTER_SECRET on every node (docs/cluster.md)", e.Message);
        ClusterSecret.RequireOffLoopback(new Endpoint("0.0.0.0", 4053), ClusterSecret.FromText(Secret, "test"), "--listen", ClusterSecret.IsLoopback);
        ClusterSecret.RequireOffLoopback(new Endpoint("127.0.0.1", 4053), null, "--listen", ClusterSecret.IsLoopback);
    }
}
