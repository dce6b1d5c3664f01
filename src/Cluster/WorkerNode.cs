using Akka.Actor;

namespace ActorKernel.Cluster;

/// <summary>How a worker runs: the coordinator to join, where the worker listens, its slots, the cluster secret and its TLS certificate (null: none).</summary>
public sealed record WorkerOptions(Endpoint Join, Endpoint Listen, int Slots, ClusterSecret? Secret = null, ClusterTls? Tls = null);

/// <summary>The worker process: join the coordinator's cluster, run what it hands out, leave when it says goodbye.</summary>
public static class WorkerNode
{
    /// <summary>
    /// Run until the coordinator says goodbye (true) or is lost, refused, or the worker is cancelled
    /// (false). <see cref="ClusterError"/> when the worker listens off loopback without a secret, or
    /// when it and the coordinator do not share the cluster secret.
    /// </summary>
    public static bool Run(WorkerOptions options, Action<ClusterNotice> notify, CancellationToken cancel) =>
        Run(options, notify, cancel, ClusterSecret.IsLoopback);

    /// <summary>As <see cref="Run(WorkerOptions, Action{ClusterNotice}, CancellationToken)"/>, with the loopback test given (tests treat 127.0.0.2 as off loopback).</summary>
    internal static bool Run(WorkerOptions options, Action<ClusterNotice> notify, CancellationToken cancel, Func<string, bool> isLoopback)
    {
        ClusterSecret.RequireOffLoopback(options.Listen, options.Secret, "--host", isLoopback);
        var system = ClusterNode.Start(options.Listen, ClusterConfig.WorkerRole, options.Tls);
        WorkerEnd end;
        try
        {
            notify(new Listening(ClusterNode.BoundEndpoint(system), ClusterConfig.WorkerRole));
            var stopped = new TaskCompletionSource<WorkerEnd>(TaskCreationOptions.RunContinuationsAsynchronously);
            system.ActorOf(WorkerActor.Props(options.Slots, null, notify, stopped, options.Join.ToString(), options.Secret), "worker");
            // Akka keeps retrying the join until the coordinator is up.
            Akka.Cluster.Cluster.Get(system).JoinSeedNodes([ClusterNode.AddressOf(options.Join, options.Tls is not null)]);
            using (cancel.Register(() => stopped.TrySetResult(new WorkerEnd(Done: false))))
                end = stopped.Task.Result;
        }
        finally
        {
            ClusterNode.Stop(system, TimeSpan.FromSeconds(10));
        }
        if (end.SecretRefusal is { } refusal) throw new ClusterError(refusal);
        return end.Done;
    }
}
