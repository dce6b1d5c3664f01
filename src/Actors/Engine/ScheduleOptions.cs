namespace ActorKernel.Actors.Engine;

/// <summary>
/// How a run makes the engine's choices: by a strategy (recording its decisions or not) or by
/// replaying a recorded <see cref="RunSchedule"/>. Without options a run is today's: seeded
/// tiebreaks, nothing recorded.
/// </summary>
public sealed record ScheduleOptions
{
    /// <summary>The strategy; ignored when <see cref="Replay"/> is set.</summary>
    public ExplorationStrategy Strategy { get; init; } = ExplorationStrategy.Random;

    /// <summary>Replay these decisions instead of asking a strategy.</summary>
    public RunSchedule? Replay { get; init; }

    /// <summary>Record the run's decisions (<see cref="SimRunOutcome.Schedule"/>).</summary>
    public bool Record { get; init; }

    /// <summary>
    /// Upper bound of an extra message delay (<c>engine.max-delay-ns</c>): 0 (the default) makes a
    /// delay:K delay a reordering among the events of one instant; above 0 it postpones a message by
    /// 1 to this many nanoseconds.
    /// </summary>
    public long MaxDelayNs { get; init; }

    /// <summary>
    /// How many choice points (instants with two or more due events) a run is expected to have:
    /// pct places its change points and delay its delays among them. An exploration sets it from
    /// the runs it has seen.
    /// </summary>
    public long ChoicePointsHint { get; init; } = 1000;

    /// <summary>How many messages a run is expected to schedule: delay:K with <see cref="MaxDelayNs"/> &gt; 0 places its delays among them.</summary>
    public long CallsHint { get; init; } = 100_000;

    /// <summary>Today's engine, nothing recorded.</summary>
    public static readonly ScheduleOptions Default = new();

    /// <summary>True when runs need the choosing queue (anything but unrecorded random).</summary>
    internal bool ChoosesAtDelivery => Replay is not null || Record || Strategy.Kind != StrategyKind.Random;
}
