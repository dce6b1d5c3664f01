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
}
