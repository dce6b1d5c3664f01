using ActorKernel.Experiments.Journal;
using ActorKernel.Experiments.Session;
using Akka.Actor;

namespace ActorKernel.Cluster;

/// <summary>How a coordinator runs: where it listens, how many workers it waits for, how many runs it takes itself, the cluster secret and its TLS certificate (null: none).</summary>
public sealed record CoordinatorOptions(Endpoint Listen, int MinWorkers, int LocalSlots, ClusterSecret? Secret = null, ClusterTls? Tls = null);

/// <summary>
/// The coordinator side of a cluster sweep. <see cref="Start(CoordinatorOptions)"/> binds the node (so a bad address
/// fails before any output exists); <see cref="Run"/> hands out the journal's missing runs to
/// workers as they pull and returns when every run is recorded or the sweep is cancelled.
/// </summary>
public sealed class ClusterSweep : IDisposable
{
    /// <summary>The name of the worker actor a coordinator with --slots runs in its own process.</summary>
    public const string LocalWorkerName = "local-worker";

    private readonly ActorSystem _system;
    private readonly CoordinatorOptions _options;

    private ClusterSweep(ActorSystem system, CoordinatorOptions options, Endpoint bound)
    {
        _system = system;
        _options = options;
        Bound = bound;
    }

    /// <summary>Where the coordinator listens (the real port when 0 was asked for); workers --join this.</summary>
    public Endpoint Bound { get; }

    /// <summary>Start the coordinator node. Throws <see cref="ClusterError"/> when it cannot listen on the address, or would listen off loopback without a secret.</summary>
    public static ClusterSweep Start(CoordinatorOptions options) => Start(options, ClusterSecret.IsLoopback);

    /// <summary>As <see cref="Start(CoordinatorOptions)"/>, with the loopback test given (tests treat 127.0.0.2 as off loopback).</summary>
    internal static ClusterSweep Start(CoordinatorOptions options, Func<string, bool> isLoopback)
    {
        ClusterSecret.RequireOffLoopback(options.Listen, options.Secret, "--listen", isLoopback);
        var system = ClusterNode.Start(options.Listen, ClusterConfig.CoordinatorRole, options.Tls);
        var bound = ClusterNode.BoundEndpoint(system);
        // The coordinator is the cluster's seed: it joins itself, workers join it.
        Akka.Cluster.Cluster.Get(system).Join(ClusterNode.AddressOf(bound, options.Tls is not null));
        return new ClusterSweep(system, options, bound);
    }

    /// <summary>Run the sweep; returns true when every run is recorded, false when cancelled first.</summary>
    public bool Run(ExperimentSession session, RunJournal journal, Action<ClusterNotice> notify, CancellationToken cancel)
    {
        notify(new Listening(Bound, ClusterConfig.CoordinatorRole));
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var coordinator = _system.ActorOf(CoordinatorActor.Props(session, journal, _options.MinWorkers, notify, done, _options.Secret), "coordinator");
        if (_options.LocalSlots > 0)
            _system.ActorOf(WorkerActor.Props(_options.LocalSlots, coordinator, notify, new TaskCompletionSource<WorkerEnd>(), secret: _options.Secret), LocalWorkerName);
        using (cancel.Register(() => coordinator.Tell(CoordinatorActor.StopSweep.Instance)))
            done.Task.Wait(CancellationToken.None);
        return journal.Count == session.Plan.Runs.Count;
    }

    /// <summary>Leave the cluster (the workers have been told goodbye) and stop the node.</summary>
    public void Dispose() => ClusterNode.Stop(_system, TimeSpan.FromSeconds(10));
}
