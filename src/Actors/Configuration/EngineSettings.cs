using ActorKernel.Actors.Engine;

namespace ActorKernel.Actors.Configuration;

/// <summary><c>actor-kernel.engine</c>.</summary>
public sealed record EngineSettings
{
    public required Interleaving Interleaving { get; init; }

    /// <summary>A run that delivers more events than this fails (guards against livelock).</summary>
    public required long MaxEvents { get; init; }
}
