namespace ActorKernel.Actors.Configuration;

/// <summary><c>actor-kernel.machine</c>.</summary>
public sealed record MachineSettings
{
    public required int NumaNodes { get; init; }
    public required int CpusPerNode { get; init; }
}
