using ActorKernel.Model;

namespace ActorKernel.Actors.Configuration;

/// <summary><c>actor-kernel.numa-balancing</c>: automatic NUMA balancing (kernel.numa_balancing and its sysctls).</summary>
public sealed record NumaBalancingSettings
{
    /// <summary>kernel.numa_balancing = 1. Off by default so workloads that do not study it are unchanged.</summary>
    public required bool Enabled { get; init; }

    public required NumaBalancingParams Params { get; init; }
}
