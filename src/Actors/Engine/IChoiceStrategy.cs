namespace ActorKernel.Actors.Engine;

/// <summary>
/// What the scheduler asks at each of its choices. <see cref="SimContext.Schedule"/> calls
/// <see cref="OnSchedule"/> for every message; delivery calls <see cref="Choose"/> at every
/// choice point (an instant with two or more due events). One instance serves one run.
/// </summary>
internal interface IChoiceStrategy
{
    /// <summary>For the <paramref name="call"/>-th scheduled message: its tiebreak (lower runs first among equals) and extra delay in ns (0: none).</summary>
    (ulong Tiebreak, long ExtraNs) OnSchedule(long call);

    /// <summary>At choice point <paramref name="point"/>: the index, in scheduling order, of the due event that runs now.</summary>
    int Choose(List<DueEvent> due, long point);
}

/// <summary>The event with the lowest tiebreak, the earliest scheduled among equals: the heap's order, as a choice.</summary>
internal static class LowestTiebreak
{
    public static int Of(List<DueEvent> due)
    {
        var best = 0;
        for (var i = 1; i < due.Count; i++)
            if (due[i].Tiebreak < due[best].Tiebreak) best = i;
        return best;
    }
}
