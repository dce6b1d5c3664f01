using Akka.Actor;

namespace ActorKernel.Cluster;

/// <summary>Starting and stopping the actor system of a coordinator or worker node.</summary>
internal static class ClusterNode
{
    /// <summary>Start the node's actor system; <see cref="ClusterError"/> when it cannot listen on <paramref name="listen"/>.</summary>
    public static ActorSystem Start(Endpoint listen, string role)
    {
        try
        {
            return ActorSystem.Create(ClusterConfig.SystemName, ClusterConfig.For(listen, role));
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

    public static Address AddressOf(Endpoint e) => new("akka.tcp", ClusterConfig.SystemName, e.Host, e.Port);

    /// <summary>Leave the cluster and stop, giving up waiting after <paramref name="timeout"/>.</summary>
    public static void Stop(ActorSystem system, TimeSpan timeout)
    {
        var leave = CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
        if (!leave.Wait(timeout)) system.Terminate().Wait(timeout);
    }
}
