using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor.Setup;
using Akka.Remote.Transport.DotNetty;

namespace ActorKernel.Cluster;

/// <summary>
/// TLS for the cluster's Akka.Remote connections (DotNetty transport, <c>enable-ssl</c>): every
/// node presents the same certificate (one PKCS#12 file with its private key, copied to each
/// machine) and accepts a peer only if it presents that certificate too (mutual TLS, pinned by
/// SHA-1 thumbprint, Akka's <see cref="CertificateValidation.PinnedCertificate"/>). No CA is
/// involved, so a self-signed certificate is enough, and no host name is checked.
/// </summary>
public sealed class ClusterTls
{
    /// <summary>The environment variable holding the PKCS#12 file's password (none: the file has no password).</summary>
    public const string PasswordVariable = "ACTORKERNEL_CLUSTER_TLS_PASSWORD";

    /// <summary>The largest certificate file read (a PKCS#12 bundle of one certificate is a few KiB).</summary>
    public const int MaxFileBytes = 1 << 20;

    private ClusterTls(X509Certificate2 certificate)
    {
        Certificate = certificate;
    }

    /// <summary>The certificate every node presents and expects.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// The certificate and private key in the PKCS#12 file <paramref name="path"/>, with the password
    /// from <see cref="PasswordVariable"/>. <see cref="ClusterError"/> (one line) when the file is
    /// missing, not a regular file, too large, not PKCS#12, the password is wrong, or it holds no private key.
    /// </summary>
    public static ClusterTls Load(string path, Func<string, string?> environment)
    {
        try
        {
            if (Directory.Exists(path)) throw new ClusterError($"--tls-cert {path} is a folder; give the PKCS#12 (.pfx) file");
            var info = new FileInfo(path);
            if (!info.Exists) throw new ClusterError($"--tls-cert {path} does not exist");
            if (info.Length == 0) throw new ClusterError($"--tls-cert {path} is empty or not a regular file");
            if (info.Length > MaxFileBytes) throw new ClusterError($"--tls-cert {path} has {info.Length} bytes; a PKCS#12 certificate file is at most {MaxFileBytes} bytes");
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, environment(PasswordVariable));
            if (!certificate.HasPrivateKey)
                throw new ClusterError($"--tls-cert {path} holds no private key; export the certificate with its key (PKCS#12)");
            return new ClusterTls(certificate);
        }
        catch (CryptographicException e)
        {
            throw new ClusterError($"--tls-cert {path} is not a PKCS#12 file this password opens ({PasswordVariable}): {OneLine(e.Message)}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ClusterError($"cannot read --tls-cert {path}: {OneLine(e.Message)}");
        }
    }

    /// <summary>A node's TLS from a certificate already loaded (tests generate one).</summary>
    public static ClusterTls From(X509Certificate2 certificate) =>
        certificate.HasPrivateKey ? new ClusterTls(certificate) : throw new ClusterError("the cluster's TLS certificate has no private key");

    /// <summary>The Akka setup: this certificate, mutual authentication, and a peer accepted only with the same certificate.</summary>
    internal Setup AkkaSetup() =>
        new DotNettySslSetup(Certificate, suppressValidation: false, requireMutualAuthentication: true,
            customValidator: CertificateValidation.PinnedCertificate(Certificate.Thumbprint));

    private static string OneLine(string message) => string.Join(' ', message.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
