using Akka.Actor;

namespace ActorKernel.Cluster;

/// <summary>How a worker runs: the coordinator to join, where the worker listens, and its slots.</summary>
public sealed record WorkerOptions(Endpoint Join, Endpoint Listen, int Slots);

/// <summary>The worker process: join the coordinator's cluster, run what it hands out, leave when it says goodbye.</summary>
public static class WorkerNode
{
    /// <summary>Run until the coordinator says goodbye (true) or is lost, refused, or the worker is cancelled (false).</summary>
    public static bool Run(WorkerOptions options, Action<ClusterNotice> notify, CancellationToken cancel)
    {
        var system = ClusterNode.Start(options.Listen, ClusterConfig.WorkerRole);
        try
        {
            notify(new Listening(ClusterNode.BoundEndpoint(system), ClusterConfig.WorkerRole));
            var stopped = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            system.ActorOf(WorkerActor.Props(options.Slots, null, notify, stopped, options.Join.ToString()), "worker");
            // Akka keeps retrying the join until the coordinator is up.
            Akka.Cluster.Cluster.Get(system).JoinSeedNodes([ClusterNode.AddressOf(options.Join)]);
            using (cancel.Register(() => stopped.TrySetResult(false)))
                return stopped.Task.Result;
        }
        finally
        {
            ClusterNode.Stop(system, TimeSpan.FromSeconds(10));
        }
    }
}
