namespace ActorKernel.Cluster;

/// <summary>
/// The messages between coordinator and workers. They carry data only (strings and numbers,
/// never types, delegates or actor props), and only these types are accepted off the wire
/// (<see cref="ProtocolSerializer"/>).
/// </summary>
/// <remarks>
/// The exchange, by work pulling: a worker that sees the coordinator says <see cref="Hello"/>;
/// the coordinator sends a <see cref="Challenge"/>, the worker its <see cref="Answer"/> (the proof
/// that it knows the cluster secret, <see cref="ClusterSecret"/>), and the coordinator either
/// <see cref="Denied"/> it or answers with the <see cref="Offer"/> of its experiment, carrying its own
/// proof, which the worker checks in turn; the worker rebuilds
/// the experiment, checks that it hashes the same and that both run the same ActorKernel
/// version, then either <see cref="Refuse"/>s or <see cref="Pull"/>s as many runs as it has
/// free slots. Each <see cref="Assign"/>ed run comes back as <see cref="Finished"/>, which also
/// asks for the next run. When the sweep is complete the coordinator says <see cref="Goodbye"/>.
/// </remarks>
public interface IProtocolMessage;

/// <summary>A worker introduces itself to the coordinator, with a fresh nonce the coordinator's proof must cover.</summary>
public sealed record Hello(string Version, int Slots, string Nonce) : IProtocolMessage;

/// <summary>The coordinator's nonce for this join, and whether it has a cluster secret (a worker with one refuses a coordinator without).</summary>
public sealed record Challenge(string Nonce, bool SecretRequired) : IProtocolMessage;

/// <summary>The worker's proof that it knows the cluster secret (empty when it has none).</summary>
public sealed record Answer(string Proof) : IProtocolMessage;

/// <summary>The coordinator will not admit the worker (its proof is missing or wrong), and why.</summary>
public sealed record Denied(string Reason) : IProtocolMessage;

/// <summary>
/// The coordinator's experiment: the experiment text exactly as the coordinator loaded it (null
/// for the built-in default) with its --set overrides, and the identity it expects the worker to
/// arrive at from them; <paramref name="Proof"/> is the coordinator's proof that it knows the
/// cluster secret (empty when it has none).
/// </summary>
public sealed record Offer(
    string Version, string ConfigSha256, string Experiment, long Seed, int Runs,
    string DisplayName, string? Text, IReadOnlyList<string> Overrides, string Proof = "") : IProtocolMessage;

/// <summary>The worker will not run the offered experiment, and why (version or configuration mismatch).</summary>
public sealed record Refuse(string Reason) : IProtocolMessage;

/// <summary>The worker has <paramref name="Count"/> more free slots.</summary>
public sealed record Pull(string ConfigSha256, int Count) : IProtocolMessage;

/// <summary>Run number <paramref name="Run"/> of the plan, to the worker that pulled.</summary>
public sealed record Assign(string ConfigSha256, int Run) : IProtocolMessage;

/// <summary>A finished run as its journal line (<c>RunRecordJson</c>); it frees the slot, so it also pulls one more run.</summary>
public sealed record Finished(string ConfigSha256, int Run, string Line) : IProtocolMessage;

/// <summary>The sweep is complete (or the coordinator is stopping): the worker leaves.</summary>
public sealed record Goodbye(string Reason) : IProtocolMessage;
