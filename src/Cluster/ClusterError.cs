using ActorKernel.Configuration;

namespace ActorKernel.Cluster;

/// <summary>A node could not start (e.g. its address is in use or not local); one line, exit status 2.</summary>
public sealed class ClusterError(string message) : UserError(message);
