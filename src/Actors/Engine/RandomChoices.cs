namespace ActorKernel.Actors.Engine;

/// <summary>
/// The <c>random</c> strategy as a chooser: the same tiebreaks from the same generator as the
/// plain engine (<see cref="SimContext"/>), so a recorded random run delivers exactly what an
/// unrecorded one does.
/// </summary>
internal sealed class RandomChoices : IChoiceStrategy
{
    private readonly SimRandom _tiebreaks;
    private readonly Interleaving _interleaving;

    public RandomChoices(ulong seed, Interleaving interleaving)
    {
        _tiebreaks = SimContext.TiebreakGenerator(seed);
        _interleaving = interleaving;
    }

    public (ulong Tiebreak, long ExtraNs) OnSchedule(long call) =>
        (_interleaving == Interleaving.Random ? _tiebreaks.NextUInt64() : 0UL, 0);

    public int Choose(List<DueEvent> due, long point) => LowestTiebreak.Of(due);
}
