namespace ActorKernel.Actors.Engine;

/// <summary>
/// Delay bounding (Emmi, Qadeer, Rakamarić, "Delay-Bounded Scheduling", POPL 2011): events run in
/// scheduling order except for at most K delays, placed uniformly at random. With
/// <c>engine.max-delay-ns</c> = 0 a delay is taken at a choice point: the first-scheduled due event
/// waits and another due event (uniform) runs. Above 0 a delay postpones one scheduled message by 1
/// to max-delay-ns nanoseconds, which can move it past events of later instants.
/// </summary>
internal sealed class DelayChoices : IChoiceStrategy
{
    private readonly SimRandom _random;
    private readonly long[] _at;
    private readonly long _maxDelayNs;
    private int _next;

    public DelayChoices(int delays, ulong seed, long maxDelayNs, long choicePointsHint, long callsHint)
    {
        _random = SimRandom.For(seed, "engine/delay");
        _maxDelayNs = maxDelayNs;
        var range = Math.Max(1, maxDelayNs > 0 ? callsHint : choicePointsHint);
        _at = new long[delays];
        for (var i = 0; i < delays; i++) _at[i] = _random.NextLong(range);
        Array.Sort(_at);
    }

    public (ulong Tiebreak, long ExtraNs) OnSchedule(long call)
    {
        if (_maxDelayNs == 0) return (0UL, 0);
        long extra = 0;
        for (; _next < _at.Length && _at[_next] <= call; _next++) extra += 1 + _random.NextLong(_maxDelayNs);
        return (0UL, Math.Min(extra, _maxDelayNs));
    }

    public int Choose(List<DueEvent> due, long point)
    {
        if (_maxDelayNs > 0) return 0;
        var delayed = false;
        for (; _next < _at.Length && _at[_next] <= point; _next++) delayed = true;
        return delayed ? 1 + (int)_random.NextLong(due.Count - 1) : 0;
    }
}
