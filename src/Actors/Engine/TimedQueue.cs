using Akka.Actor;

namespace ActorKernel.Actors.Engine;

/// <summary>An event waiting for its virtual instant.</summary>
internal readonly record struct TimedEvent(IActorRef Target, object Message, IActorRef? Sender);

/// <summary>(time, tiebreak, sequence): a total order, so delivery never depends on the heap's internals.</summary>
internal readonly record struct EventKey(long TimeNs, ulong Tiebreak, long Seq) : IComparable<EventKey>
{
    public int CompareTo(EventKey other)
    {
        var c = TimeNs.CompareTo(other.TimeNs);
        if (c != 0) return c;
        c = Tiebreak.CompareTo(other.Tiebreak);
        return c != 0 ? c : Seq.CompareTo(other.Seq);
    }
}

/// <summary>The run's pending events, earliest first.</summary>
internal sealed class TimedQueue
{
    private readonly PriorityQueue<TimedEvent, EventKey> _heap = new(256);
    private long _seq;

    public int Count => _heap.Count;

    public void Enqueue(long timeNs, ulong tiebreak, in TimedEvent ev) =>
        _heap.Enqueue(ev, new EventKey(timeNs, tiebreak, _seq++));

    public bool TryDequeue(out TimedEvent ev, out long timeNs)
    {
        if (_heap.TryDequeue(out ev, out var key))
        {
            timeNs = key.TimeNs;
            return true;
        }
        timeNs = 0;
        return false;
    }

    public bool TryPeekTime(out long timeNs)
    {
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
        _seq = 0;
    }
}
