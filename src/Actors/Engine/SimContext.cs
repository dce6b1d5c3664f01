using Akka.Actor;
using Akka.Event;

namespace ActorKernel.Actors.Engine;

/// <summary>
/// What an actor inside a run sees of the engine: the virtual clock, the run's seeded
/// randomness, and the only way to make time pass — scheduling a message at a virtual delay.
/// All members are called on the lane's driver thread only.
/// </summary>
public sealed class SimContext
{
    private readonly TimedQueue _timed;
    private readonly SimRandom _tiebreaks;
    private readonly Interleaving _interleaving;

    private readonly EventStream? _publishTo;

    // What Bind gives every actor of the run: this lane's dispatcher and mailbox, built once per run.
    private readonly Deploy _laneDeploy;

    // Null for today's engine (seeded tiebreaks in the heap); otherwise the strategy chooses at delivery.
    private readonly ChoiceQueue? _choiceQueue;
    private readonly IChoiceStrategy? _choices;
    private readonly List<ScheduleChoice>? _recorded;
    private readonly ExplorationStrategy _strategy = ExplorationStrategy.Random;
    private readonly long _windowNs;
    private long _choicePoints;

    internal SimContext(TimedQueue timed, string dispatcherId, ulong seed, Interleaving interleaving, long maxEvents, EventStream? publishTo = null,
        ChoiceQueue? choiceQueue = null, ScheduleOptions? options = null)
    {
        _publishTo = publishTo;
        _timed = timed;
        DispatcherId = dispatcherId;
        _laneDeploy = new Deploy().WithDispatcher(dispatcherId).WithMailbox(dispatcherId);
        Seed = seed;
        _interleaving = interleaving;
        MaxEvents = maxEvents;
        _tiebreaks = TiebreakGenerator(seed);
        if (options is { ChoosesAtDelivery: true } && choiceQueue is not null)
        {
            _windowNs = options.WindowNs;
            _choiceQueue = choiceQueue;
            _choiceQueue.Reset(_windowNs);
            _choices = ChoiceStrategies.Create(options, seed, interleaving);
            _strategy = options.Replay?.Strategy ?? options.Strategy.ForSeed(seed);
            if (options.Record) _recorded = new List<ScheduleChoice>();
        }
    }

    /// <summary>The generator of the random strategy's tiebreaks (one stream per run, apart from the model's).</summary>
    internal static SimRandom TiebreakGenerator(ulong seed) => SimRandom.For(seed, "engine/tiebreak");

    /// <summary>Current virtual time in nanoseconds.</summary>
    public long NowNs { get; internal set; }

    /// <summary>The run's seed.</summary>
    public ulong Seed { get; }

    /// <summary>The dispatcher every actor of this run must be created on.</summary>
    public string DispatcherId { get; }

    /// <summary>Timed events delivered so far.</summary>
    public long EventsDelivered { get; internal set; }

    /// <summary>A run that delivers more events than this fails (livelock guard).</summary>
    public long MaxEvents { get; }

    /// <summary>The result the root handed over with <see cref="Complete"/>.</summary>
    public object? Result { get; private set; }

    public bool IsCompleted { get; private set; }

    /// <summary>Why the run failed, or null.</summary>
    public string? Failure { get; private set; }

    /// <summary>The last timed event delivered: where a failure is reported from.</summary>
    public string CurrentEvent => Current is { } ev ? $"{ev.Message.GetType().Name} to {ev.Target.Path.Name}" : "run start";

    // Kept as the event itself and formatted only when a failure needs it: one string per event would dominate the engine's cost.
    // With the seeded tiebreaks the timed queue still holds the event being delivered; a strategy's choice is kept here.
    internal TimedEvent? Current => _choices is null ? _timed.Delivered : _chosen;

    private TimedEvent? _chosen;

    /// <summary>Observers inside the test that drives the run (TestKit): called synchronously on the driver thread for every published event.</summary>
    public Action<object>? Observer { get; set; }

    /// <summary>True when someone watches published events: actors may skip building observation-only messages otherwise.</summary>
    public bool IsObserved => Observer is not null || _publishTo is not null;

    /// <summary>
    /// Make an observation (a probe read outcome, a lock event, a fork step) visible outside the run:
    /// to <see cref="Observer"/> and, when the run was started with an event stream, to its subscribers
    /// (e.g. Akka.TestKit probes). Observers watch; they never send into the run.
    /// </summary>
    public void Publish(object observation)
    {
        Observer?.Invoke(observation);
        _publishTo?.Publish(observation);
    }

    internal bool RootStarted { get; set; }
    internal bool RootStopped { get; set; }

    /// <summary>Props bound to this run's dispatcher and its single-threaded mailbox (<see cref="SimMessageQueue"/>): children do not inherit them from their parent.</summary>
    public Props Bind(Props props) => SimProps.On(props, _laneDeploy) ?? props.WithDispatcher(DispatcherId).WithMailbox(DispatcherId);

    /// <summary>A generator for the actor or concern named by <paramref name="key"/>; the same key gives the same sequence for the same seed.</summary>
    public SimRandom RandomFor(string key) => SimRandom.For(Seed, key);

    /// <summary>Deliver <paramref name="message"/> to <paramref name="target"/> after <paramref name="delayNs"/> of virtual time.</summary>
    public void Schedule(long delayNs, IActorRef target, object message, IActorRef? sender = null)
    {
        if (delayNs < 0) throw new ArgumentOutOfRangeException(nameof(delayNs), delayNs, "virtual delay must not be negative");
        if (_choices is null)
        {
            var tiebreak = _interleaving == Interleaving.Random ? _tiebreaks.NextUInt64() : 0UL;
            _timed.Enqueue(checked(NowNs + delayNs), tiebreak, new TimedEvent(target, message, sender));
            return;
        }
        _choiceQueue!.Enqueue(checked(NowNs + delayNs), _choices.Tiebreak(), new TimedEvent(target, message, sender));
    }

    /// <summary>Removes the event that runs next and says when it runs: the heap's first, or the strategy's choice among the candidates.</summary>
    internal bool TryTakeNext(out TimedEvent ev, out long timeNs)
    {
        if (_choices is null) return _timed.TryDequeue(out ev, out timeNs);
        if (!_choiceQueue!.TryGetCandidates(out var candidates))
        {
            ev = default;
            timeNs = 0;
            return false;
        }
        var index = 0;
        if (candidates.Count > 1)
        {
            var point = _choicePoints++;
            index = _choices.Choose(candidates, point);
            if (index != 0) _recorded?.Add(new ScheduleChoice(point, index));
        }
        var due = _choiceQueue.Take(index);
        ev = due.Event;
        _chosen = ev;
        // An event held back while a later one ran is delivered now: the clock never goes back.
        timeNs = Math.Max(due.TimeNs, NowNs);
        return true;
    }

    /// <summary>The instant of the next event, if any.</summary>
    internal bool TryPeekTime(out long timeNs) =>
        _choiceQueue is null ? _timed.TryPeekTime(out timeNs) : _choiceQueue.TryPeekTime(out timeNs);

    /// <summary>The decisions recorded (with <see cref="ScheduleOptions.Record"/>), or null.</summary>
    internal RunSchedule? RecordedSchedule => _recorded is null
        ? null
        : new RunSchedule { Seed = Seed, Strategy = _strategy, MaxDelayNs = _windowNs, ChoicePoints = _choicePoints, Choices = _recorded.ToArray() };

    /// <summary>The model is finished: the driver stops delivering and tears the run down.</summary>
    public void Complete(object? result)
    {
        if (IsCompleted) return;
        Result = result;
        IsCompleted = true;
    }

    /// <summary>The run is broken (an invariant failed, an actor threw): it ends with this reason.</summary>
    public void Fail(string reason)
    {
        Failure ??= $"{reason} (at {NowNs} ns, while handling {CurrentEvent})";
        IsCompleted = true;
    }

    /// <summary>
    /// An actor of the run received a message it has no rule for: a protocol error, as fatal as a
    /// violated invariant. The run fails naming the actor, the message, the virtual time and the
    /// seed; nothing is dropped silently. Every sim actor's default branch calls this.
    /// </summary>
    public void Unexpected(IActorRef actor, object message) =>
        Fail($"{actor.Path.ToStringWithoutAddress()} received an unexpected {message.GetType().Name}: {message} (seed {Seed})");

    /// <summary>Called by the root actor from its PreStart.</summary>
    public void MarkRootStarted() => RootStarted = true;

    /// <summary>Called by the root actor from its PostStop.</summary>
    public void MarkRootStopped() => RootStopped = true;
}
