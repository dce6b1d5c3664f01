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

    /// <summary>Replay these decisions instead of asking a strategy (with the window the schedule was recorded with).</summary>
    public RunSchedule? Replay { get; init; }

    /// <summary>Record the run's decisions (<see cref="SimRunOutcome.Schedule"/>).</summary>
    public bool Record { get; init; }

    /// <summary>
    /// The window (<c>engine.max-delay-ns</c>): 0 (the default) lets a strategy choose only among events
    /// due at the same instant; above 0 among each actor's earliest event due within this many
    /// nanoseconds of the oldest pending one, so that choosing a later one delays the earlier ones by
    /// at most the window. A recorded schedule stores it and a replay uses the recorded one.
    /// </summary>
    public long MaxDelayNs { get; init; }

    /// <summary>
    /// How many choice points a run is expected to have: pct places its change points and delay its
    /// delays uniformly among them. An exploration sets it from the runs it has seen.
    /// </summary>
    public long ChoicePointsHint { get; init; } = 1000;

    /// <summary>Today's engine, nothing recorded.</summary>
    public static readonly ScheduleOptions Default = new();

    /// <summary>The window this run uses.</summary>
    internal long WindowNs => Replay?.MaxDelayNs ?? MaxDelayNs;

    /// <summary>True when the run needs the choosing queue (anything but unrecorded random without a window).</summary>
    internal bool ChoosesAtDelivery => Replay is not null || Record || Strategy.Kind != StrategyKind.Random || MaxDelayNs > 0;
}
