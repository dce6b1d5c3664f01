namespace ActorKernel.Model;

/// <summary>Knobs for <see cref="FaultModel.Handle"/>.</summary>
public sealed record FaultOptions
{
    /// <summary>mm/memory.c fault_around_bytes default (64 KiB = 16 pages).</summary>
    public const int DefaultFaultAroundBytes = 65536;

    public static FaultOptions Default { get; } = new();

    /// <summary>/sys/kernel/debug/fault_around_bytes; a value ≤ one page disables fault-around.
    /// Must be a power-of-two number of pages (the kernel rounds it down).</summary>
    public int FaultAroundBytes { get; init; } = DefaultFaultAroundBytes;

    /// <summary>NUMA hint fault: node to migrate the page to, or -1 to only restore the PTE
    /// (the caller decides, as numa_migrate_prep / should_numa_migrate_memory would).</summary>
    public int MigrateToNode { get; init; } = -1;

    /// <summary>Node that new anonymous/swap-in frames are allocated on (the faulting CPU's node).</summary>
    public int AllocNode { get; init; }
}
