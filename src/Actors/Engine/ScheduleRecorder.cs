namespace ActorKernel.Actors.Engine;

/// <summary>Collects a run's decisions as the scheduler makes them (<see cref="ScheduleOptions.Record"/>).</summary>
internal sealed class ScheduleRecorder
{
    private readonly ulong _seed;
    private readonly ExplorationStrategy _strategy;

    public ScheduleRecorder(ulong seed, ExplorationStrategy strategy)
    {
        _seed = seed;
        _strategy = strategy;
    }

    public List<ScheduleChoice> Choices { get; } = new();

    public List<ScheduleDelay> Delays { get; } = new();

    public RunSchedule ToSchedule(long choicePoints, long calls) => new()
    {
        Seed = _seed,
        Strategy = _strategy,
        Choices = Choices.ToArray(),
        Delays = Delays.ToArray(),
        ChoicePoints = choicePoints,
        Calls = calls,
    };
}
