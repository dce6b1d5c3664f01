using ActorKernel.Actors.Metrics;

namespace ActorKernel.Actors.Machine;

/// <summary>What the machine hands to the engine when its workload has finished.</summary>
public sealed record RunResult(RunMetrics Metrics)
{
    /// <summary>Page tables captured at <see cref="MachineSpec.PageTablesAtNs"/>, by mm id (empty otherwise).</summary>
    public IReadOnlyList<PageTableSnapshot> PageTables { get; init; } = Array.Empty<PageTableSnapshot>();
}
