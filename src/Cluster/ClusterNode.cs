using Akka.Actor;

namespace ActorKernel.Cluster;

/// <summary>Starting and stopping the actor system of a coordinator or worker node.</summary>
internal static class ClusterNode
{
    /// <summary>Start the node's actor system, with TLS when <paramref name="tls"/> is given; <see cref="ClusterError"/> when it cannot listen on <paramref name="listen"/>.</summary>
    public static ActorSystem Start(Endpoint listen, string role, ClusterTls? tls = null)
    {
        try
        {
            var config = ClusterConfig.For(listen, role, tls is not null);
            return tls is null
                ? ActorSystem.Create(ClusterConfig.SystemName, config)
                : ActorSystem.Create(ClusterConfig.SystemName, BootstrapSetup.Create().WithConfig(config).And(tls.AkkaSetup()));
        }
        catch (Exception e)
        {
            var cause = e;
            while (cause.InnerException is not null) cause = cause.InnerException;
            throw new ClusterError($"cannot listen on {listen}: {ConfigErrorText(cause.Message)}; give another address or port");
        }
    }

    private static string ConfigErrorText(string message) => string.Join(' ', message.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The address the node actually listens on (the real port when 0 was asked for).</summary>
    public static Endpoint BoundEndpoint(ActorSystem system)
    {
        var a = ((ExtendedActorSystem)system).Provider.DefaultAddress;
        return new Endpoint(a.Host!, a.Port!.Value);
    }

    /// <summary>The node address of <paramref name="e"/>; Akka.Remote names TLS connections akka.ssl.tcp.</summary>
    public static Address AddressOf(Endpoint e, bool tls = false) => new(tls ? "akka.ssl.tcp" : "akka.tcp", ClusterConfig.SystemName, e.Host, e.Port);

    /// <summary>Leave the cluster and stop, giving up waiting after <paramref name="timeout"/>.</summary>
    public static void Stop(ActorSystem system, TimeSpan timeout)
    {
        var leave = CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
        if (!leave.Wait(timeout)) system.Terminate().Wait(timeout);
    }
}
