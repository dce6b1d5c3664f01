using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ActorKernel.Experiments.Session;

namespace ActorKernel.Cluster.Tests;

/// <summary>
/// Akka.Remote's TLS (DotNetty enable-ssl) on loopback, with self-signed certificates generated
/// here (no key is committed): nodes sharing the certificate join and sweep; the coordinator's
/// port speaks TLS, presents that certificate, and drops a client that presents none or another.
/// Every wait is bounded, as a guard against a hang, never as what makes a test pass.
/// </summary>
public sealed class ClusterTlsTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    private readonly string _dir = Directory.CreateTempSubdirectory("actorkernel-tls-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A new self-signed certificate with its key, written as a PKCS#12 file with <paramref name="password"/>.</summary>
    private string NewCertificateFile(string name, string? password)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var path = Path.Combine(_dir, name + ".pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return path;
    }

    private static ClusterTls Load(string path, string? password = null) =>
        ClusterTls.Load(path, v => v == ClusterTls.PasswordVariable ? password : null);

    private static ExperimentSession OneRun() => ExperimentSession.PrepareText("""
        experiment { name = "one", seed = 1, runs-per-point = 1, policies = [nofault] }
        actor-kernel.workload.fork-exec.execs = 3
        """, "one-run (test)", []);

    [Fact]
    public async Task NodesSharingTheCertificate_Join_AndTheSweepCompletes()
    {
        var tls = Load(NewCertificateFile("cluster", "pw"), "pw");
        var s = OneRun();
        using var journal = s.OpenJournal(Path.Combine(_dir, "out"), resume: false);
        using var cluster = ClusterSweep.Start(new CoordinatorOptions(new Endpoint("127.0.0.1", 0), 1, 0, Tls: tls));
        var waiting = new TaskCompletionSource();
        var sweep = Task.Run(() => cluster.Run(s, journal, n => { if (n is WaitingForWorkers) waiting.TrySetResult(); }, CancellationToken.None));
        await waiting.Task.WaitAsync(Bound);

        var worker = Task.Run(() => WorkerNode.Run(new WorkerOptions(cluster.Bound, new Endpoint("127.0.0.1", 0), 1, Tls: tls), _ => { }, CancellationToken.None));

        Assert.True(await sweep.WaitAsync(Bound));
        Assert.True(await worker.WaitAsync(Bound));
        Assert.Equal(1, journal.Count);
    }

    [Fact]
    public async Task ThePortSpeaksTls_WithTheClusterCertificate_AndDropsAClientWithoutIt()
    {
        var file = NewCertificateFile("cluster", null);
        var tls = Load(file);
        using var cluster = ClusterSweep.Start(new CoordinatorOptions(new Endpoint("127.0.0.1", 0), 1, 0, Tls: tls));

        // The cluster's own certificate: the handshake completes and the server presents it.
        var (presented, openWithIt) = await Handshake(cluster.Bound, X509CertificateLoader.LoadPkcs12FromFile(file, null));
        Assert.Equal(tls.Certificate.Thumbprint, presented);
        Assert.True(openWithIt);

        // Another certificate, or none: the server's pinned check refuses it and the connection ends.
        var (_, openWithAnother) = await Handshake(cluster.Bound, X509CertificateLoader.LoadPkcs12FromFile(NewCertificateFile("intruder", null), null));
        Assert.False(openWithAnother);
        var (_, openWithNone) = await Handshake(cluster.Bound, null);
        Assert.False(openWithNone);
    }

    // Connects as a TLS client; returns the thumbprint the server presented, and whether the
    // connection is still usable after the handshake (a server that rejects the client's
    // certificate fails the handshake or, in TLS 1.3, closes the connection right after it).
    private static async Task<(string? Presented, bool Open)> Handshake(Endpoint at, X509Certificate2? clientCertificate)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(at.Host, at.Port).WaitAsync(Bound);
        string? presented = null;
        await using var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, _) =>
        {
            presented = certificate is null ? null : new X509Certificate2(certificate).Thumbprint;
            return true;
        });
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = at.Host,
            ClientCertificates = clientCertificate is null ? null : new X509CertificateCollection { clientCertificate },
        };
        try
        {
            await ssl.AuthenticateAsClientAsync(options).WaitAsync(Bound);
            // Akka's handshake starts with the client's first frame: with nothing sent, a server that
            // accepted stays silent; one that refused the certificate has closed the connection.
            var read = ssl.ReadAsync(new byte[1]).AsTask();
            var first = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(3)));
            return (presented, first != read);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return (presented, false);
        }
    }

    [Fact]
    public void LoadingACertificate_FailsWithOneLine_ForEveryBadFile()
    {
        var good = NewCertificateFile("cluster", "pw");
        var garbage = Path.Combine(_dir, "garbage.pfx");
        File.WriteAllText(garbage, "not a certificate");
        var publicOnly = Path.Combine(_dir, "public.pfx");
        File.WriteAllBytes(publicOnly, X509CertificateLoader.LoadPkcs12FromFile(good, "pw").Export(X509ContentType.Cert));

        Assert.Equal($"--tls-cert {_dir}/none.pfx does not exist", Assert.Throws<ClusterError>(() => Load(Path.Combine(_dir, "none.pfx"))).Message);
        Assert.Equal($"--tls-cert {_dir} is a folder; give the PKCS#12 (.pfx) file", Assert.Throws<ClusterError>(() => Load(_dir)).Message);
        Assert.StartsWith($"--tls-cert {good} is not a PKCS#12 file this password opens (ACTORKERNEL_CLUSTER_TLS_PASSWORD)", Assert.Throws<ClusterError>(() => Load(good, "wrong")).Message);
        Assert.StartsWith($"--tls-cert {garbage} is not a PKCS#12 file", Assert.Throws<ClusterError>(() => Load(garbage)).Message);
        Assert.StartsWith($"--tls-cert {publicOnly} ", Assert.Throws<ClusterError>(() => Load(publicOnly)).Message);
        foreach (var message in new[] { good, garbage, publicOnly }.Select(f => Record.Exception(() => Load(f, "wrong"))?.Message ?? ""))
            Assert.DoesNotContain('\n', message);
        Assert.True(Load(good, "pw").Certificate.HasPrivateKey);
    }
}
