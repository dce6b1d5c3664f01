namespace ActorKernel.Cluster;

/// <summary>What a coordinator or worker reports as a sweep goes (the CLI prints these).</summary>
public abstract record ClusterNotice;

/// <summary>The node is up and reachable at <paramref name="At"/>.</summary>
public sealed record Listening(Endpoint At, string Role) : ClusterNotice;

/// <summary>The coordinator waits for more workers before handing out runs.</summary>
public sealed record WaitingForWorkers(int Have, int Need) : ClusterNotice;

/// <summary>A worker accepted the experiment and pulls work with <paramref name="Slots"/> slots.</summary>
public sealed record WorkerJoined(string Worker, int Slots) : ClusterNotice;

/// <summary>A worker declined the experiment (different version or configuration).</summary>
public sealed record WorkerRefused(string Worker, string Reason) : ClusterNotice;

/// <summary>The coordinator refused a worker at join: its proof of the cluster secret was missing or wrong.</summary>
public sealed record WorkerDenied(string Worker, string Reason) : ClusterNotice;

/// <summary>A worker left or became unreachable; its <paramref name="Reissued"/> runs in flight go back to the queue.</summary>
public sealed record WorkerLost(string Worker, string How, int Reissued) : ClusterNotice;

/// <summary>A run was recorded in the journal (duplicates of a re-issued run are not reported).</summary>
public sealed record RunRecorded(int Done, int Total, string Worker, long Events, IReadOnlyDictionary<string, int> DoneByWorker) : ClusterNotice;

/// <summary>A worker's result could not be used (it did not match the plan); the run is re-issued.</summary>
public sealed record ResultRejected(string Worker, int Run, string Reason) : ClusterNotice;

/// <summary>Worker side: still no experiment from the coordinator at <paramref name="Coordinator"/> (reminded every 10 s).</summary>
public sealed record WaitingToJoin(string Coordinator) : ClusterNotice;

/// <summary>Worker side: the coordinator offered an experiment and the worker accepted it.</summary>
public sealed record ExperimentAccepted(string Experiment, int Runs, string Coordinator) : ClusterNotice;

/// <summary>Worker side: the worker ran a run.</summary>
public sealed record RunCompleted(int Run) : ClusterNotice;

/// <summary>Worker side: the worker stops, and why; <paramref name="Clean"/> when the coordinator said goodbye.</summary>
public sealed record WorkerStopping(string Reason, bool Clean) : ClusterNotice;

/// <summary>How a worker's service ended.</summary>
/// <param name="Done">The coordinator said goodbye: the sweep is complete.</param>
/// <param name="SecretRefusal">Why, when the worker and the coordinator do not share the cluster secret (a configuration mistake).</param>
public sealed record WorkerEnd(bool Done, string? SecretRefusal = null);
