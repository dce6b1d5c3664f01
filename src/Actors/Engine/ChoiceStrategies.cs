namespace ActorKernel.Actors.Engine;

/// <summary>Makes the chooser of one run from its <see cref="ScheduleOptions"/>.</summary>
internal static class ChoiceStrategies
{
    public static IChoiceStrategy Create(ScheduleOptions options, ulong seed, Interleaving interleaving)
    {
        if (options.Replay is { } replay) return new ReplayChoices(replay);
        var strategy = options.Strategy.ForSeed(seed);
        return strategy.Kind switch
        {
            StrategyKind.Pct => new PctChoices(strategy.Bound, seed, options.ChoicePointsHint),
            StrategyKind.Delay => new DelayChoices(strategy.Bound, seed, options.ChoicePointsHint),
            _ => new RandomChoices(seed, interleaving),
        };
    }
}
