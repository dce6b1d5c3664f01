using ActorKernel.Model;

namespace ActorKernel.Actors.Configuration;

/// <summary><c>actor-kernel.kernel</c>: the selected profile and its (possibly overridden) switches.</summary>
public sealed record KernelSettings
{
    public required string ProfileName { get; init; }
    public required KernelProfile Profile { get; init; }
}
