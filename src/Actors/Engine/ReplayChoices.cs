namespace ActorKernel.Actors.Engine;

/// <summary>
/// Replays a <see cref="RunSchedule"/>: the recorded choice at each listed point, the first-scheduled
/// event elsewhere, and the recorded extra delays. A recorded index beyond the events due (possible
/// only in a schedule shrinking has cut) falls back to the first-scheduled event.
/// </summary>
internal sealed class ReplayChoices : IChoiceStrategy
{
    private readonly IReadOnlyList<ScheduleChoice> _choices;
    private readonly IReadOnlyList<ScheduleDelay> _delays;
    private int _nextChoice;
    private int _nextDelay;

    public ReplayChoices(RunSchedule schedule)
    {
        _choices = schedule.Choices;
        _delays = schedule.Delays;
    }

    public (ulong Tiebreak, long ExtraNs) OnSchedule(long call)
    {
        while (_nextDelay < _delays.Count && _delays[_nextDelay].Call < call) _nextDelay++;
        return _nextDelay < _delays.Count && _delays[_nextDelay].Call == call ? (0UL, _delays[_nextDelay].ExtraNs) : (0UL, 0);
    }

    public int Choose(List<DueEvent> due, long point)
    {
        while (_nextChoice < _choices.Count && _choices[_nextChoice].Point < point) _nextChoice++;
        if (_nextChoice >= _choices.Count || _choices[_nextChoice].Point != point) return 0;
        var index = _choices[_nextChoice].Index;
        return index < due.Count ? index : 0;
    }
}
