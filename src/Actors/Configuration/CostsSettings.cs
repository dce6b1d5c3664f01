namespace ActorKernel.Actors.Configuration;

/// <summary><c>actor-kernel.costs</c>: virtual nanoseconds per operation (kernel-model.md §7).</summary>
public sealed record CostsSettings
{
    public required long SyscallEntryNs { get; init; }
    public required long PteWalkNs { get; init; }
    public required long ProbeReadNs { get; init; }
    public required long ProbeFixupNs { get; init; }
    public required long MinorFaultNs { get; init; }
    public required long FaultAroundPageNs { get; init; }
    public required long AnonFaultNs { get; init; }
    public required long MajorFaultNs { get; init; }
    public required long ForkBaseNs { get; init; }
    public required long ForkPerVmaNs { get; init; }
    public required long ForkPerPteNs { get; init; }
    public required long ExecNs { get; init; }
    public required long ChildExitNs { get; init; }
    public required long CopyFromUserNs { get; init; }
    public required long MmapLockOpNs { get; init; }

    /// <summary>do_swap_page() reading a page back from swap (a major fault).</summary>
    public required long SwapInNs { get; init; }

    /// <summary>Reclaim's time per page scanned (isolate, folio_referenced(), unmap, free or swap out).</summary>
    public required long ReclaimNsPerPage { get; init; }
}
