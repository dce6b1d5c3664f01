namespace ActorKernel.Actors.Engine;

/// <summary>An event waiting in the <see cref="ChoiceQueue"/>, with the tiebreak drawn when it was scheduled.</summary>
internal readonly record struct DueEvent(TimedEvent Event, ulong Tiebreak);

/// <summary>
/// The run's pending events when a strategy chooses among the events due at the earliest
/// instant (<see cref="ScheduleOptions"/>): those events are kept apart in scheduling order and
/// the strategy names the one that runs. Events scheduled for that same instant meanwhile join
/// the end of the list, as they come later in scheduling order.
/// </summary>
internal sealed class ChoiceQueue
{
    private readonly PriorityQueue<DueEvent, (long TimeNs, long Seq)> _heap = new(256);
    private readonly List<DueEvent> _due = new(16);
    private long _dueTimeNs;
    private long _seq;

    public void Enqueue(long timeNs, ulong tiebreak, in TimedEvent ev) =>
        _heap.Enqueue(new DueEvent(ev, tiebreak), (timeNs, _seq++));

    /// <summary>The events due at the earliest instant, in scheduling order; false when nothing is pending.</summary>
    public bool TryGetDue(out List<DueEvent> due, out long timeNs)
    {
        if (_due.Count == 0)
        {
            if (!_heap.TryPeek(out _, out var first))
            {
                due = _due;
                timeNs = 0;
                return false;
            }
            _dueTimeNs = first.TimeNs;
        }
        while (_heap.TryPeek(out _, out var key) && key.TimeNs == _dueTimeNs) _due.Add(_heap.Dequeue());
        due = _due;
        timeNs = _dueTimeNs;
        return true;
    }

    /// <summary>Removes and returns the due event at <paramref name="index"/> (after <see cref="TryGetDue"/>).</summary>
    public TimedEvent Take(int index)
    {
        var ev = _due[index].Event;
        _due.RemoveAt(index);
        return ev;
    }

    public bool TryPeekTime(out long timeNs)
    {
        if (_due.Count > 0)
        {
            timeNs = _dueTimeNs;
            return true;
        }
        if (_heap.TryPeek(out _, out var key))
        {
            timeNs = key.TimeNs;
            return true;
        }
        timeNs = 0;
        return false;
    }

    public void Clear()
    {
        _heap.Clear();
        _due.Clear();
        _seq = 0;
    }
}
