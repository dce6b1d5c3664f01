namespace ActorKernel.Actors.Engine;

/// <summary>
/// Delay bounding (Emmi, Qadeer, Rakamarić, "Delay-Bounded Scheduling", POPL 2011): the oldest,
/// first-scheduled candidate runs, except at most K times — at choice points drawn uniformly among
/// the expected ones — when it is delayed and another candidate (uniform) runs instead.
/// </summary>
internal sealed class DelayChoices : IChoiceStrategy
{
    private readonly SimRandom _random;
    private readonly long[] _at;
    private int _next;

    public DelayChoices(int delays, ulong seed, long choicePointsHint)
    {
        _random = SimRandom.For(seed, "engine/delay");
        _at = new long[delays];
        for (var i = 0; i < delays; i++) _at[i] = _random.NextLong(Math.Max(1, choicePointsHint));
        Array.Sort(_at);
    }

    public ulong Tiebreak() => 0UL;

    public int Choose(List<DueEvent> candidates, long point)
    {
        var delayed = false;
        for (; _next < _at.Length && _at[_next] <= point; _next++) delayed = true;
        return delayed ? 1 + (int)_random.NextLong(candidates.Count - 1) : 0;
    }
}
