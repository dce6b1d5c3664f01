namespace ActorKernel.Actors.Configuration;

/// <summary>
/// Page frames and reclaim: <c>actor-kernel.machine.memory-per-node-mb</c> and the <c>actor-kernel.memory</c>
/// block (docs/memory-pressure.md). Modelled in runs with the memory-pressure workload.
/// </summary>
public sealed record MemorySettings
{
    /// <summary>Managed memory of each NUMA node, in MiB.</summary>
    public required long MemoryPerNodeMb { get; init; }

    /// <summary>vm.watermark_scale_factor, in 1/10000 of a node's memory.</summary>
    public required int WatermarkScaleFactor { get; init; }

    /// <summary>Swap space, in MiB (0: no swap; anonymous pages are then not reclaimable).</summary>
    public required long SwapMb { get; init; }

    /// <summary>vm.swappiness, 0 to 200.</summary>
    public required int Swappiness { get; init; }

    /// <summary>The LRU implementation: "classic" (active/inactive lists); MGLRU is not modelled.</summary>
    public required string Lru { get; init; }
}
