namespace ActorKernel.Actors.Engine;

/// <summary>
/// The <c>random</c> strategy as a chooser: the same tiebreaks from the same generator as the
/// plain engine (<see cref="SimContext"/>), so a recorded random run delivers exactly what an
/// unrecorded one does. With a window (<c>engine.max-delay-ns</c>) the lowest tiebreak is a
/// uniform choice among the candidates.
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

    public ulong Tiebreak() => _interleaving == Interleaving.Random ? _tiebreaks.NextUInt64() : 0UL;

    public int Choose(List<DueEvent> candidates, long point) => LowestTiebreak.Of(candidates);
}
