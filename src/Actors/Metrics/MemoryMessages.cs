using ActorKernel.Model;

namespace ActorKernel.Actors.Metrics;

/// <summary>
/// The run's memory after a change (docs/memory-pressure.md): free pages per node and the cumulative
/// reclaim counters (pgscan, pages evicted from the page cache, pswpout, refaults, direct reclaims).
/// </summary>
public sealed record MemorySampled(long AtNs, IReadOnlyList<long> FreePagesByNode, long Scanned, long EvictedFile, long SwappedOut, long Refaulted, long DirectReclaims)
{
    public static MemorySampled Of(long atNs, MemoryModel m) =>
        new(atNs, m.Nodes.Select(n => n.FreePages).ToArray(), m.Scanned, m.EvictedFile, m.SwappedOut, m.Refaulted, m.DirectReclaims);
}
