using System.Runtime.CompilerServices;
using Akka.Actor;

namespace ActorKernel.Actors.Engine;

/// <summary>An event waiting for its virtual instant.</summary>
internal readonly record struct TimedEvent(IActorRef Target, object Message, IActorRef? Sender);

/// <summary>
/// The run's pending events, earliest first by (time, tiebreak, sequence): a total order, so delivery
/// never depends on the heap's internals. The heap holds only the key and the index of the event's
/// slot: its nodes contain no references, so moving them costs no GC write barriers and a node is
/// 32 B instead of 48 B (a quaternary heap, as <see cref="PriorityQueue{TElement, TPriority}"/>).
/// </summary>
internal sealed class TimedQueue
{
    private const int Arity = 4;
    private const int InitialCapacity = 256;
    // A lane keeps its queue for every run it drives. After a run that needed more slots than this, Clear starts
    // the next run small again, so one long run does not pin its peak (≈ 60 B per pending event) for the rest of
    // the process; below it, the arrays are kept and reused.
    internal const int RetainedCapacityMax = 1 << 16;

    private Node[] _heap = new Node[InitialCapacity];
    private TimedEvent[] _events = new TimedEvent[InitialCapacity];
    // Slots given back by dequeued events, reused last-in first-out (the most recently touched memory).
    private int[] _free = new int[InitialCapacity];
    private int _count;
    private int _freeCount;
    private int _slotsUsed;
    private long _seq;
    // The slot of the event dequeued last: kept, not cleared, until the next dequeue, so that the event being
    // delivered can be named (SimContext.CurrentEvent) without copying it out of the queue on every delivery.
    private int _delivered = -1;

    private struct Node
    {
        public long TimeNs;
        public ulong Tiebreak;
        public long Seq;
        public int Slot;
    }

    public int Count => _count;

    public void Enqueue(long timeNs, ulong tiebreak, in TimedEvent ev)
    {
        int slot;
        if (_freeCount > 0)
        {
            slot = _free[--_freeCount];
        }
        else
        {
            if (_slotsUsed == _events.Length) Grow();
            slot = _slotsUsed++;
        }
        _events[slot] = ev;
        if (_count == _heap.Length) Array.Resize(ref _heap, _heap.Length * 2);
        SiftUp(_count++, new Node { TimeNs = timeNs, Tiebreak = tiebreak, Seq = _seq++, Slot = slot });
    }

    public bool TryDequeue(out TimedEvent ev, out long timeNs)
    {
        if (_count == 0)
        {
            ev = default;
            timeNs = 0;
            return false;
        }
        var heap = _heap;
        var root = heap[0];
        var slot = root.Slot;
        ev = _events[slot];
        ReleaseDelivered();
        _delivered = slot;
        timeNs = root.TimeNs;
        var last = --_count;
        if (last > 0) SiftDown(0, heap[last]);
        return true;
    }

    /// <summary>The event dequeued last (the one being delivered), or null before the first.</summary>
    public TimedEvent? Delivered => _delivered >= 0 ? _events[_delivered] : null;

    private void ReleaseDelivered()
    {
        if (_delivered < 0) return;
        _events[_delivered] = default;
        _free[_freeCount++] = _delivered;
        _delivered = -1;
    }

    public bool TryPeekTime(out long timeNs)
    {
        if (_count == 0)
        {
            timeNs = 0;
            return false;
        }
        timeNs = _heap[0].TimeNs;
        return true;
    }

    /// <summary>Slots the queue holds now (pending or free), for the retention tests.</summary>
    internal int Capacity => _events.Length;

    public void Clear()
    {
        if (_events.Length > RetainedCapacityMax || _heap.Length > RetainedCapacityMax)
        {
            _heap = new Node[InitialCapacity];
            _events = new TimedEvent[InitialCapacity];
            _free = new int[InitialCapacity];
        }
        else
        {
            for (var i = 0; i < _count; i++) _events[_heap[i].Slot] = default;
            if (_delivered >= 0) _events[_delivered] = default;
        }
        _delivered = -1;
        _count = 0;
        _freeCount = 0;
        _slotsUsed = 0;
        _seq = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Before(in Node a, in Node b) =>
        a.TimeNs != b.TimeNs ? a.TimeNs < b.TimeNs
        : a.Tiebreak != b.Tiebreak ? a.Tiebreak < b.Tiebreak
        : a.Seq < b.Seq;

    private void SiftUp(int hole, Node node)
    {
        var heap = _heap;
        while (hole > 0)
        {
            var parent = (hole - 1) / Arity;
            if (!Before(node, heap[parent])) break;
            heap[hole] = heap[parent];
            hole = parent;
        }
        heap[hole] = node;
    }

    private void SiftDown(int hole, Node node)
    {
        var heap = _heap;
        var count = _count;
        while (true)
        {
            var first = hole * Arity + 1;
            if (first >= count) break;
            var best = first;
            var end = Math.Min(first + Arity, count);
            for (var c = first + 1; c < end; c++)
                if (Before(heap[c], heap[best])) best = c;
            if (!Before(heap[best], node)) break;
            heap[hole] = heap[best];
            hole = best;
        }
        heap[hole] = node;
    }

    private void Grow()
    {
        var capacity = _events.Length * 2;
        Array.Resize(ref _events, capacity);
        Array.Resize(ref _free, capacity);
    }
}
