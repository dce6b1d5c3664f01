using ActorKernel.Model;

namespace ActorKernel.Actors.Configuration;

/// <summary><c>actor-kernel.machine</c>.</summary>
public sealed record MachineSettings
{
    public required int NumaNodes { get; init; }
    public required int CpusPerNode { get; init; }

    /// <summary>machine.arch and machine.hw-pte-young: whether an old PTE faults on this machine's MMU.</summary>
    public required ArchCaps Arch { get; init; }
}
