using Akka.Actor;

namespace ActorKernel.Actors.Engine;

/// <summary>
/// A run being driven step by step by the thread that started it: run until a condition,
/// until a virtual time, or to the end. Scenario tests use it to pause a run at an
/// interesting moment (the fork handler holds the write lock) and look inside.
/// </summary>
public sealed class SimRun : IDisposable
{
    private readonly SimLane _lane;
    private SimRunOutcome? _outcome;

    internal SimRun(SimLane lane, SimContext context, IActorRef root)
    {
        _lane = lane;
        Context = context;
        Root = root;
    }

    public SimContext Context { get; }

    /// <summary>The run's root actor.</summary>
    public IActorRef Root { get; }

    /// <summary>The model has completed or failed (teardown may still be pending).</summary>
    public bool IsCompleted => Context.IsCompleted;

    internal bool Stopping { get; set; }

    internal bool IdleTold { get; set; }

    /// <summary>
    /// Drive until <paramref name="stop"/> is true — checked after every mailbox run and every
    /// delivered event — or the model completes. True if the condition stopped it.
    /// </summary>
    public bool RunUntil(Func<bool> stop)
    {
        CheckThread();
        while (!Context.IsCompleted)
        {
            if (stop()) return true;
            _lane.Step(this);
        }
        return stop();
    }

    /// <summary>
    /// Deliver every event due at or before <paramref name="timeNs"/>, then set the clock to
    /// it (if the model is still running). Returns false if the model completed first.
    /// </summary>
    public bool RunUntilTime(long timeNs)
    {
        CheckThread();
        while (!Context.IsCompleted)
        {
            if (Context.RootStarted && !_lane.HasImmediateWork && (!Context.TryPeekTime(out var next) || next > timeNs))
            {
                if (timeNs > Context.NowNs) Context.NowNs = timeNs;
                return true;
            }
            _lane.Step(this);
        }
        return false;
    }

    /// <summary>Advance virtual time by <paramref name="durationNs"/> (see <see cref="RunUntilTime"/>).</summary>
    public bool Advance(long durationNs) => RunUntilTime(checked(Context.NowNs + durationNs));

    /// <summary>Process the messages already sent, without advancing virtual time.</summary>
    public void Drain()
    {
        CheckThread();
        _lane.DrainWork();
    }

    /// <summary>Run the model to the end, tear the run down, and say how it ended. Idempotent.</summary>
    public SimRunOutcome Finish()
    {
        if (_outcome is not null) return _outcome;
        CheckThread();
        // Step would run the queued mailboxes one per call before anything else; draining them in a tight loop
        // first is the same order without a call and its checks per mailbox run.
        do
        {
            _lane.DrainWork();
        }
        while (_lane.Step(this));
        _outcome = _lane.End(Context);
        return _outcome;
    }

    /// <summary>Abandon or finish the run: the lane is free afterwards.</summary>
    public void Dispose()
    {
        if (_outcome is not null) return;
        Context.Fail("the run was abandoned before it completed");
        Finish();
    }

    private void CheckThread()
    {
        if (!_lane.IsDriverThread)
            throw new InvalidOperationException("a run must be driven by the thread that started it (async test methods resume on other threads: use a synchronous test)");
    }
}
