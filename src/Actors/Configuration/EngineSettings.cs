using ActorKernel.Actors.Engine;

namespace ActorKernel.Actors.Configuration;

/// <summary><c>actor-kernel.engine</c>.</summary>
public sealed record EngineSettings
{
    public required Interleaving Interleaving { get; init; }

    /// <summary>A run that delivers more events than this fails (guards against livelock).</summary>
    public required long MaxEvents { get; init; }

    /// <summary>Who makes the engine's choices (<c>engine.strategy</c>): random (today's), pct:D, delay:K or portfolio.</summary>
    public ExplorationStrategy Strategy { get; init; } = ExplorationStrategy.Random;

    /// <summary>The window a strategy chooses in (<c>engine.max-delay-ns</c>); 0: only events due at the same instant.</summary>
    public long MaxDelayNs { get; init; }

    /// <summary>A run's <see cref="ScheduleOptions"/> from these settings: the strategy, nothing recorded or replayed.</summary>
    public ScheduleOptions Schedule => new() { Strategy = Strategy, MaxDelayNs = MaxDelayNs };
}
