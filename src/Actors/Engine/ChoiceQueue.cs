using Akka.Actor;

namespace ActorKernel.Actors.Engine;

/// <summary>An event waiting in the <see cref="ChoiceQueue"/>: when it is due, its scheduling order and the tiebreak drawn when it was scheduled.</summary>
internal readonly record struct DueEvent(TimedEvent Event, long TimeNs, long Seq, ulong Tiebreak);

/// <summary>
/// The run's pending events when a strategy chooses what runs next (<see cref="ScheduleOptions"/>).
/// The candidates are the events due within the window (<c>engine.max-delay-ns</c>) of the oldest
/// pending one. With a window of 0 they are every event due at the earliest instant, in scheduling
/// order. With a window above 0 they are each actor's own earliest event, in (time, scheduling)
/// order: an actor still receives its messages in time order, and choosing a later event holds the
/// earlier ones of other actors back — by at most the window, as the oldest event anchors it.
/// </summary>
internal sealed class ChoiceQueue
{
    private readonly PriorityQueue<DueEvent, (long TimeNs, long Seq)> _heap = new(256);
    // Pending events already inside a window, in (time, seq) order.
    private readonly List<DueEvent> _due = new(16);
    private readonly List<DueEvent> _candidates = new(16);
    private readonly List<int> _candidateAt = new(16);
    // Membership only (never iterated): the actors that already have a candidate.
    private readonly HashSet<IActorRef> _seen = new();
    private long _windowNs;
    private long _seq;

    public void Enqueue(long timeNs, ulong tiebreak, in TimedEvent ev)
    {
        var seq = _seq++;
        _heap.Enqueue(new DueEvent(ev, timeNs, seq, tiebreak), (timeNs, seq));
    }

    /// <summary>Empties the queue for a new run with window <paramref name="windowNs"/>.</summary>
    public void Reset(long windowNs)
    {
        _heap.Clear();
        _due.Clear();
        _candidates.Clear();
        _candidateAt.Clear();
        _seq = 0;
        _windowNs = windowNs;
    }

    /// <summary>The events the strategy may choose from now; false when nothing is pending.</summary>
    public bool TryGetCandidates(out List<DueEvent> candidates)
    {
        candidates = _candidates;
        _candidates.Clear();
        _candidateAt.Clear();
        if (!TryPeekTime(out var oldestNs)) return false;
        var endNs = oldestNs + _windowNs;
        while (_heap.TryPeek(out _, out var key) && key.TimeNs <= endNs) Insert(_heap.Dequeue());
        if (_windowNs == 0)
        {
            for (var i = 0; i < _due.Count; i++) Add(i);
            return true;
        }
        _seen.Clear();
        for (var i = 0; i < _due.Count; i++)
            if (_seen.Add(_due[i].Event.Target)) Add(i);
        return true;
    }

    /// <summary>Removes and returns candidate <paramref name="index"/> (after <see cref="TryGetCandidates"/>).</summary>
    public DueEvent Take(int index)
    {
        var at = _candidateAt[index];
        var ev = _due[at];
        _due.RemoveAt(at);
        return ev;
    }

    /// <summary>When the oldest pending event was due.</summary>
    public bool TryPeekTime(out long timeNs)
    {
        var inHeap = _heap.TryPeek(out _, out var key);
        if (_due.Count > 0)
        {
            timeNs = inHeap ? Math.Min(_due[0].TimeNs, key.TimeNs) : _due[0].TimeNs;
            return true;
        }
        timeNs = inHeap ? key.TimeNs : 0;
        return inHeap;
    }

    private void Add(int dueIndex)
    {
        _candidates.Add(_due[dueIndex]);
        _candidateAt.Add(dueIndex);
    }

    // Events leave the heap in (time, seq) order but may sort before events pulled by an earlier, later-anchored window.
    private void Insert(DueEvent ev)
    {
        var i = _due.Count;
        while (i > 0 && (_due[i - 1].TimeNs, _due[i - 1].Seq).CompareTo((ev.TimeNs, ev.Seq)) > 0) i--;
        _due.Insert(i, ev);
    }
}
