namespace ActorKernel.Actors.Engine;

/// <summary>
/// What the scheduler asks at each of its choices. <see cref="SimContext.Schedule"/> asks
/// <see cref="Tiebreak"/> for every message; delivery asks <see cref="Choose"/> at every choice
/// point (two or more candidates, <see cref="ChoiceQueue"/>). One instance serves one run.
/// </summary>
internal interface IChoiceStrategy
{
    /// <summary>The tiebreak of the next scheduled message (lower runs first among equals; only the random strategy draws one).</summary>
    ulong Tiebreak();

    /// <summary>At choice point <paramref name="point"/>: the index of the candidate that runs now (0: the oldest, first scheduled).</summary>
    int Choose(List<DueEvent> candidates, long point);
}

/// <summary>The candidate with the lowest tiebreak, the earliest among equals: the heap's order, as a choice.</summary>
internal static class LowestTiebreak
{
    public static int Of(List<DueEvent> candidates)
    {
        var best = 0;
        for (var i = 1; i < candidates.Count; i++)
            if (candidates[i].Tiebreak < candidates[best].Tiebreak) best = i;
        return best;
    }
}
