using System.Globalization;

namespace ActorKernel.Cluster;

/// <summary>A host and TCP port a cluster node listens on or joins (port 0: any free port, when listening).</summary>
public sealed record Endpoint(string Host, int Port)
{
    /// <summary>Where a node listens when no address is given: loopback only.</summary>
    public const string DefaultHost = "127.0.0.1";

    /// <summary>The coordinator's port when none is given.</summary>
    public const int DefaultCoordinatorPort = 4053;

    /// <summary>Parse HOST:PORT (or [IPv6]:PORT); null with the reason when malformed.</summary>
    public static Endpoint? TryParse(string text, out string? error)
    {
        error = null;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            error = "expects HOST:PORT, e.g. 127.0.0.1:4053";
            return null;
        }
        var host = text[..colon].Trim('[', ']');
        if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = $"expects a port from 0 to 65535 after the colon, got '{text[(colon + 1)..]}'";
            return null;
        }
        return new Endpoint(host, port);
    }

    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
