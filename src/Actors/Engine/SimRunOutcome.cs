namespace ActorKernel.Actors.Engine;

/// <summary>How a run ended.</summary>
/// <param name="Result">What the root passed to <see cref="SimContext.Complete"/>; null on failure.</param>
/// <param name="Failure">Why the run failed, or null.</param>
/// <param name="Events">Timed events delivered.</param>
/// <param name="VirtualTimeNs">Virtual time when the run completed.</param>
public sealed record SimRunOutcome(object? Result, string? Failure, long Events, long VirtualTimeNs)
{
    public bool Succeeded => Failure is null;

    /// <summary>The run's decisions, when it was started with <see cref="ScheduleOptions.Record"/>; else null.</summary>
    public RunSchedule? Schedule { get; init; }
}
