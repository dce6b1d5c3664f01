using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace ActorKernel.Cluster;

/// <summary>
/// The shared secret of a cluster that leaves loopback. Coordinator and worker each prove they
/// know it before any experiment or result is exchanged: each answers the other's random nonce
/// with an HMAC-SHA256 keyed by the secret, so the secret itself never crosses the network and a
/// recorded answer is worthless for the next join. Proofs are compared in constant time.
/// </summary>
public sealed class ClusterSecret
{
    /// <summary>The environment variable a secret may come from when no --secret-file is given (never from the command line, where `ps` shows it).</summary>
    public const string EnvironmentVariable = "ACTORKERNEL_CLUSTER_SECRET";

    /// <summary>The shortest secret accepted: a guessable one would only look like protection.</summary>
    public const int MinLength = 16;

    /// <summary>The largest secret file read (a secret is a line, not a document).</summary>
    public const int MaxFileBytes = 4096;

    private readonly byte[] _key;

    private ClusterSecret(byte[] key)
    {
        _key = key;
    }

    /// <summary>
    /// The secret from <paramref name="file"/> when given, else from <see cref="EnvironmentVariable"/>,
    /// else null. Surrounding white space (a trailing newline) is not part of it.
    /// <see cref="ClusterError"/> when the file cannot be read or the secret is too short.
    /// </summary>
    public static ClusterSecret? Load(string? file, Func<string, string?> environment)
    {
        if (file is not null) return FromText(ReadFile(file), $"the secret in {file}");
        var text = environment(EnvironmentVariable);
        return string.IsNullOrEmpty(text) ? null : FromText(text, $"the secret in {EnvironmentVariable}");
    }

    /// <summary>A secret from its text; <paramref name="source"/> names it in the error when too short.</summary>
    public static ClusterSecret FromText(string text, string source)
    {
        var secret = text.Trim();
        if (secret.Length < MinLength)
            throw new ClusterError($"{source} has {secret.Length} characters; a cluster secret needs at least {MinLength} (e.g. from: openssl rand -hex 32)");
        return new ClusterSecret(Encoding.UTF8.GetBytes(secret));
    }

    /// <summary>A fresh random nonce for one join (not part of any run: it never reaches the simulation).</summary>
    public static string NewNonce() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The proof that <paramref name="role"/> knows the secret, for the join with these nonces.</summary>
    public string Proof(string role, string workerNonce, string coordinatorNonce) =>
        Convert.ToHexString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"actorkernel-cluster-join\n{role}\n{workerNonce}\n{coordinatorNonce}")));

    /// <summary>Whether <paramref name="proof"/> is <see cref="Proof"/>'s, compared in constant time.</summary>
    public bool Verifies(string proof, string role, string workerNonce, string coordinatorNonce) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(proof), Encoding.ASCII.GetBytes(Proof(role, workerNonce, coordinatorNonce)));

    /// <summary>Whether <paramref name="host"/> is a loopback address (127.0.0.0/8, ::1, localhost); any other name counts as reachable from elsewhere.</summary>
    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>
    /// Refuse to start a node that listens off loopback without a secret: anyone who can reach it
    /// could join. <paramref name="option"/> names the option that set the address.
    /// </summary>
    public static void RequireOffLoopback(Endpoint listen, ClusterSecret? secret, string option, Func<string, bool> isLoopback)
    {
        if (secret is null && !isLoopback(listen.Host))
            throw new ClusterError($"{option} {listen.Host} is not a loopback address, so the cluster needs a shared secret: " +
                                   $"give --secret-file PATH or set {EnvironmentVariable} on every node (docs/cluster.md)");
    }

    private static string ReadFile(string path)
    {
        try
        {
            if (Directory.Exists(path))
                throw new ClusterError($"--secret-file {path} is a folder; give the file that holds the secret");
            var info = new FileInfo(path);
            if (!info.Exists)
                throw new ClusterError($"--secret-file {path} does not exist");
            // A FIFO, a device or a /proc file reports no length: reading it could block or never end.
            if (info.Length == 0)
                throw new ClusterError($"--secret-file {path} is empty or not a regular file");
            if (info.Length > MaxFileBytes)
                throw new ClusterError($"--secret-file {path} has {info.Length} bytes; a secret file holds one line (at most {MaxFileBytes} bytes)");
            return File.ReadAllText(path, new UTF8Encoding(false, throwOnInvalidBytes: true));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            throw new ClusterError($"cannot read --secret-file {path}: {e.Message}");
        }
    }
}
