using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ActorKernel.Cluster;

namespace ActorKernel.Cli.Tests;

/// <summary>
/// --tls-cert as a user meets it: a coordinator and a worker process sharing a self-signed
/// certificate (generated here; no key is committed) sweep over TLS on loopback, with the
/// file's password from the environment; a bad certificate file is one line, exit 2, nothing written.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class ClusterTlsEndToEndTests : IDisposable
{
    private const string Password = "a password for the test's pfx";

    // 24 points × 1 seed: a short sweep.
    private static readonly string[] Sweep = ["run", "--set", "workload.fork-exec.execs=10", "--runs-per-point", "1", "--seed", "3"];

    private readonly string _dir = Directory.CreateTempSubdirectory("actorkernel-cluster-tls-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Out(string name) => Path.Combine(_dir, name);

    private string CertificateFile()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=actorkernel-cluster", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var path = Out("cluster.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, Password));
        return path;
    }

    [Fact]
    public void CoordinatorAndWorker_SharingACertificate_SweepOverTls()
    {
        var pfx = CertificateFile();
        var env = new Dictionary<string, string> { [ClusterTls.PasswordVariable] = Password };
        using var coordinator = CliProcess.Start([.. Sweep, "--out", Out("swept"), "--cluster", "--listen", "127.0.0.1:0", "--min-workers", "1", "--tls-cert", pfx], env);
        var port = coordinator.WaitForLine(@"coordinator listening on 127\.0\.0\.1:(\d+)").Groups[1].Value;
        coordinator.WaitForLine("waiting for workers: 0 of 1 joined");

        using var worker = CliProcess.Start(["worker", "--join", $"127.0.0.1:{port}", "--slots", "1", "--tls-cert", pfx], env);

        Assert.True(worker.WaitForExit() == 0, worker.Output);
        Assert.True(coordinator.WaitForExit() == 0, coordinator.Output);
        Assert.Contains("the coordinator says: sweep complete", worker.Output);
        Assert.Matches(@"24/24 runs; 127\.0\.0\.1:\d+ 24 \(", coordinator.Output);
    }

    [Fact]
    public void ABadCertificateFile_OneLine_Exit2_BeforeAnythingStarts()
    {
        var pfx = CertificateFile();
        File.WriteAllText(Out("garbage.pfx"), "not a certificate");
        foreach (var (file, expected) in new[] { (pfx, "is not a PKCS#12 file this password opens"), (Out("garbage.pfx"), "is not a PKCS#12 file"), (Out("none.pfx"), "does not exist") })
        {
            foreach (var args in new[]
                     {
                         new[] { "run", "--out", Out("never"), "--cluster", "--tls-cert", file },
                         new[] { "worker", "--join", "127.0.0.1:4053", "--tls-cert", file },
                     })
            {
                // No password in this process's environment: the generated file needs one.
                var stderr = new StringWriter();
                Assert.Equal(2, CliMain.Run(args, new StringWriter(), stderr));
                Assert.Contains(expected, Assert.Single(stderr.ToString().TrimEnd('\n').Split('\n')));
            }
        }
        Assert.False(Directory.Exists(Out("never")));

        var notCluster = new StringWriter();
        Assert.Equal(2, CliMain.Run(["run", "--tls-cert", pfx], new StringWriter(), notCluster));
        Assert.Contains("--tls-cert is an option of a cluster run", notCluster.ToString());
    }
}
