namespace ActorKernel.Model;

/// <summary>A task's demand for CPU: how much runtime it still wants in its current burst.</summary>
public sealed class RunnableTask
{
    public RunnableTask(int taskId, long wantNs)
    {
        ModelInvariantException.Check(wantNs > 0, $"task {taskId}: a CPU burst of {wantNs} ns");
        TaskId = taskId;
        RemainingNs = wantNs;
    }

    public int TaskId { get; }

    /// <summary>Runtime still wanted in this burst.</summary>
    public long RemainingNs { get; internal set; }
}

/// <summary>What one tick did on a CPU.</summary>
/// <param name="TaskId">The task that was running (and was charged), or -1 when idle.</param>
/// <param name="ChargedNs">Runtime charged to it (sum_exec_runtime delta).</param>
/// <param name="BurstDone">Its burst is used up: it leaves the CPU and sleeps or continues its program.</param>
/// <param name="Switched">A context switch happened (burst done or time slice expired with others waiting).</param>
public readonly record struct TickOutcome(int TaskId, long ChargedNs, bool BurstDone, bool Switched);

/// <summary>
/// One CPU's run queue, round-robin with a fixed time slice, accounted at scheduler ticks
/// (kernel/sched/core.c scheduler_tick → task_tick). A simplification of CFS: equal weights, so
/// round-robin is what CFS converges to; a burst ends at the tick where it is used up; sleeping
/// tasks are not on the queue and accrue no runtime.
/// </summary>
public sealed class RunQueue
{
    private readonly Queue<RunnableTask> _queue = new();
    private readonly long _sliceNs;
    private long _sliceUsedNs;
    private long _lastAccountNs;

    public RunQueue(long sliceNs)
    {
        ModelInvariantException.Check(sliceNs > 0, $"time slice {sliceNs} ns");
        _sliceNs = sliceNs;
    }

    public RunnableTask? Current { get; private set; }

    public int Waiting => _queue.Count;

    public bool IsIdle => Current is null;

    /// <summary>Context switches so far.</summary>
    public long Switches { get; private set; }

    /// <summary>enqueue_task(): a woken task wants <paramref name="wantNs"/> of CPU. Returns true when the CPU was idle and now runs it.</summary>
    public bool Enqueue(int taskId, long wantNs, long nowNs)
    {
        var t = new RunnableTask(taskId, wantNs);
        if (Current is null)
        {
            Run(t, nowNs);
            return true;
        }
        _queue.Enqueue(t);
        return false;
    }

    /// <summary>A scheduler tick: charge the running task, end its burst or preempt it when its slice is used and others wait.</summary>
    public TickOutcome Tick(long nowNs)
    {
        var cur = Current;
        if (cur is null) return new TickOutcome(-1, 0, false, false);
        long charged = Math.Min(nowNs - _lastAccountNs, cur.RemainingNs);
        ModelInvariantException.Check(charged >= 0, $"tick at {nowNs} before last accounting {_lastAccountNs}");
        _lastAccountNs = nowNs;
        cur.RemainingNs -= charged;
        _sliceUsedNs += charged;
        if (cur.RemainingNs <= 0)
        {
            Current = null;
            if (_queue.TryDequeue(out var next)) Run(next, nowNs);
            Switches++;
            return new TickOutcome(cur.TaskId, charged, true, true);
        }
        if (_sliceUsedNs >= _sliceNs && _queue.Count > 0)
        {
            _queue.Enqueue(cur);
            Run(_queue.Dequeue(), nowNs);
            Switches++;
            return new TickOutcome(cur.TaskId, charged, false, true);
        }
        if (_sliceUsedNs >= _sliceNs) _sliceUsedNs = 0;
        return new TickOutcome(cur.TaskId, charged, false, false);
    }

    private void Run(RunnableTask t, long nowNs)
    {
        Current = t;
        _sliceUsedNs = 0;
        _lastAccountNs = nowNs;
    }
}
