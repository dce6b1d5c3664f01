namespace ActorKernel.Actors.Engine;

/// <summary>
/// Replays a <see cref="RunSchedule"/>: the recorded choice at each listed point, the oldest
/// candidate elsewhere. A recorded index beyond the candidates (possible only in a schedule that
/// shrinking has cut) falls back to the oldest.
/// </summary>
internal sealed class ReplayChoices : IChoiceStrategy
{
    private readonly IReadOnlyList<ScheduleChoice> _choices;
    private int _next;

    public ReplayChoices(RunSchedule schedule)
    {
        _choices = schedule.Choices;
    }

    public ulong Tiebreak() => 0UL;

    public int Choose(List<DueEvent> candidates, long point)
    {
        while (_next < _choices.Count && _choices[_next].Point < point) _next++;
        if (_next >= _choices.Count || _choices[_next].Point != point) return 0;
        var index = _choices[_next].Index;
        return index < candidates.Count ? index : 0;
    }
}
