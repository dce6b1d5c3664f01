using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Event;

namespace ActorKernel.Actors.Engine;

/// <summary>
/// One driver of runs: a registered simulation dispatcher plus the loop that drives it.
/// A lane executes one run at a time on the calling thread; parallelism comes from several
/// lanes on several threads. Within a run exactly one mailbox runs at a time, and virtual
/// time advances only when the work queue is empty, by delivering the earliest timed event.
/// </summary>
public sealed class SimLane
{
    /// <summary>Messages a mailbox processes per run before yielding to the next mailbox.</summary>
    public const int MailboxThroughput = 100;

    /// <summary>How long the driver waits, in wall time, for work promised from another thread (actor creation/stop) before declaring the run stalled. A watchdog only: it never influences results.</summary>
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(60);

    private readonly ActorSystem _system;
    // Wrapped in a struct: storing an interface reference into an IRunnable[] costs a covariance check per enqueue.
    private readonly Queue<Work> _work = new(64);
    private readonly ConcurrentQueue<IRunnable> _foreign = new();
    private readonly SemaphoreSlim _foreignSignal = new(0);
    private readonly TimedQueue _timed = new();
    private readonly ChoiceQueue _choiceQueue = new();
    private int _driverThreadId = -1;
    private long _foreignDuringRun;
    private bool _sealed;
    private long _runCounter;
    private string? _lastForeign;

    public SimLane(ActorSystem system, int index)
    {
        _system = system;
        DispatcherId = $"actorkernel.sim-lane-{index}";
        // The lane's actors name the lane's mailbox type (SimContext.Bind: WithMailbox(DispatcherId)), which Akka
        // looks up by that id in the system's configuration: put it there.
        SimMailboxType.Register(system, this);
        system.Settings.InjectTopLevelFallback(ConfigurationFactory.ParseString(
            $"{DispatcherId} {{ mailbox-type = \"{typeof(SimMailboxType).FullName}, {typeof(SimMailboxType).Assembly.GetName().Name}\" }}"));
        var config = ConfigurationFactory.ParseString($"type = \"{typeof(SimDispatcherConfigurator).FullName}\"\nthroughput = {MailboxThroughput}")
            .WithFallback(system.Dispatchers.DefaultDispatcherConfig);
        var configurator = new SimDispatcherConfigurator(config, system.Dispatchers.Prerequisites, this, DispatcherId, MailboxThroughput);
        if (!system.Dispatchers.RegisterConfigurator(DispatcherId, configurator))
            throw new InvalidOperationException($"a simulation lane {DispatcherId} already exists in actor system {system.Name}");
        _dispatcher = configurator.Dispatcher();
        _serializeAllMessages = system.Settings.SerializeAllMessages;
        _host = StartHost(system);
    }

    public string DispatcherId { get; }

    private readonly IActorRef _host;
    private readonly MessageDispatcher _dispatcher;
    private readonly bool _serializeAllMessages;

    // Creates the host and drives its asynchronous start to the end on this thread, so that no
    // guardian-thread work for it can arrive later, in the middle of a run.
    private IActorRef StartHost(ActorSystem system)
    {
        Volatile.Write(ref _driverThreadId, Environment.CurrentManagedThreadId);
        try
        {
            var host = system.ActorOf(Props.Create<LaneHost>().WithDispatcher(DispatcherId).WithMailbox(DispatcherId), $"sim-lane-{DispatcherId[(DispatcherId.LastIndexOf('-') + 1)..]}");
            var deadline = DateTime.UtcNow + StallTimeout;
            while (!(host is RepointableActorRef { IsStarted: true }) || HasImmediateWork)
            {
                DrainWork();
                if (DrainForeign()) continue;
                if (host is RepointableActorRef { IsStarted: true }) break;
                if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"simulation lane {DispatcherId} could not start its host actor");
                _foreignSignal.Wait(TimeSpan.FromMilliseconds(10));
                _foreignSignal.Release();
            }
            DrainWork();
            return host;
        }
        finally
        {
            Volatile.Write(ref _driverThreadId, -1);
        }
    }

    /// <summary>Queues a mailbox run from the driver thread (<see cref="SimMailboxRun.RegisterForExecution"/>).</summary>
    internal void EnqueueWork(IRunnable run) => _work.Enqueue(new Work(run));

    // Akka's mailboxes run through the lane's copy of Mailbox.Run; any other work as it is.
    private void RunWork(IRunnable work)
    {
        if (work is Mailbox mailbox) SimMailboxRun.Run(this, _dispatcher, mailbox);
        else work.Run();
    }

    internal void Submit(IRunnable run)
    {
        var driver = Volatile.Read(ref _driverThreadId);
        if (Environment.CurrentManagedThreadId == driver)
        {
            _work.Enqueue(new Work(run));
            return;
        }
        if (driver == -1)
        {
            // No run is being driven: this is lane-level lifecycle work (the host's start, actor
            // system shutdown stopping the host). Run it here, or system.Terminate() would wait
            // for a driver that never comes.
            run.Run();
            return;
        }
        if (Volatile.Read(ref _sealed))
        {
            Interlocked.Increment(ref _foreignDuringRun);
            _lastForeign = run.GetType().FullName;
        }
        _foreign.Enqueue(run);
        _foreignSignal.Release();
    }

    /// <summary>
    /// Executes one run to completion on the calling thread: creates the root from
    /// <paramref name="rootProps"/>, delivers events until the root completes or fails,
    /// then stops the root and drains what the stop produces.
    /// </summary>
    public SimRunOutcome Run(Func<SimContext, Props> rootProps, ulong seed, Interleaving interleaving, long maxEvents, EventStream? publishTo = null, ScheduleOptions? schedule = null)
    {
        using var run = Start(rootProps, seed, interleaving, maxEvents, publishTo, schedule: schedule);
        return run.Finish();
    }

    /// <summary>
    /// Starts a run that the calling thread then drives step by step (<see cref="SimRun.RunUntil"/>,
    /// <see cref="SimRun.RunUntilTime"/>) and finishes with <see cref="SimRun.Finish"/>.
    /// Every call on the returned run must come from this thread. <paramref name="observer"/> sees every
    /// observation from the first one (those published while the root starts, at 0 ns, included).
    /// <paramref name="schedule"/> says who makes the engine's choices (a strategy, or a recorded schedule
    /// to replay) and whether to record them.
    /// </summary>
    public SimRun Start(Func<SimContext, Props> rootProps, ulong seed, Interleaving interleaving, long maxEvents, EventStream? publishTo = null,
        Action<object>? observer = null, ScheduleOptions? schedule = null)
    {
        if (Interlocked.CompareExchange(ref _driverThreadId, Environment.CurrentManagedThreadId, -1) != -1)
            throw new InvalidOperationException($"lane {DispatcherId} is already driving a run");
        try
        {
            _timed.Clear();
            Interlocked.Exchange(ref _foreignDuringRun, 0);
            var ctx = new SimContext(_timed, DispatcherId, seed, interleaving, maxEvents, publishTo, _choiceQueue, schedule) { Observer = observer };
            IActorRef? root = null;
            _host.Tell(new LaneHost.StartRoot(ctx, ctx.Bind(rootProps(ctx)), $"run-{_runCounter++}", r => Volatile.Write(ref root, r)));
            // Normally the host runs on this thread right here. If Akka was still running the host's
            // mailbox on another thread (late lifecycle work), that thread takes the message: wait for it.
            while (Volatile.Read(ref root) is null)
            {
                DrainWork();
                if (DrainForeign() || Volatile.Read(ref root) is not null) continue;
                WaitForeign(ctx, "the host to create the run's root");
            }
            return new SimRun(this, ctx, root!);
        }
        catch
        {
            Volatile.Write(ref _driverThreadId, -1);
            throw;
        }
    }

    internal bool IsDriverThread => Environment.CurrentManagedThreadId == Volatile.Read(ref _driverThreadId);

    internal bool HasImmediateWork => _work.Count > 0 || !_foreign.IsEmpty;


    internal SimRunOutcome End(SimContext ctx)
    {
        try
        {
            var foreign = Interlocked.Read(ref _foreignDuringRun);
            var failure = ctx.Failure;
            if (failure is null && foreign > 0)
                failure = $"{foreign} message(s) entered the run from another thread: an actor created without SimContext.Bind, the Akka scheduler, Ask or a test probe sending into the run — results would not be reproducible (last: {_lastForeign})";
            return new SimRunOutcome(failure is null ? ctx.Result : null, failure, ctx.EventsDelivered, ctx.NowNs) { Schedule = ctx.RecordedSchedule };
        }
        finally
        {
            _timed.Clear();
            _choiceQueue.Reset(0);
            Volatile.Write(ref _sealed, false);
            Volatile.Write(ref _driverThreadId, -1);
        }
    }

    /// <summary>Does one unit of work: a mailbox run, a foreign submission, a timed event, or a teardown step. False once the run is over.</summary>
    internal bool Step(SimRun run)
    {
        var ctx = run.Context;
        if (_work.TryDequeue(out var work))
        {
            RunWork(work.Run);
            return true;
        }
        if (DrainForeign()) return true;

        if (!ctx.RootStarted)
        {
            WaitForeign(ctx, "the root actor to start");
            return true;
        }
        Volatile.Write(ref _sealed, true);

        if (ctx.IsCompleted)
        {
            if (ctx.RootStopped) return false;
            if (!run.Stopping)
            {
                run.Stopping = true;
                Volatile.Write(ref _sealed, false);
                run.Root.Tell(PoisonPill.Instance);
                return true;
            }
            WaitForeign(ctx, "the run's actors to stop");
            return true;
        }

        if (ctx.TryTakeNext(out var ev, out var timeNs))
        {
            ctx.NowNs = timeNs;
            ctx.EventsDelivered++;
            if (ctx.EventsDelivered > ctx.MaxEvents)
            {
                ctx.Fail($"more than {ctx.MaxEvents} events (actor-kernel.engine.max-events): the model did not finish");
                return true;
            }
            run.IdleTold = false;
            Deliver(ev);
            return true;
        }

        if (!run.IdleTold)
        {
            run.IdleTold = true;
            run.Root.Tell(RunIdle.Instance);
            return true;
        }
        ctx.Fail("the run went idle without completing: no event pending and the root did not finish");
        return true;
    }

    // A timed event enters its target's queue as IActorRef.Tell would put it there (LocalActorRef.TellInternal ->
    // ActorCell.SendMessage -> SimDispatcher.Dispatch), without the virtual calls on the way. Any other kind of
    // target, a cell that overrides the send, or serialize-messages: Tell.
    private void Deliver(in TimedEvent ev)
    {
        var target = ev.Target;
        if (target.GetType() == typeof(LocalActorRef) && !_serializeAllMessages)
        {
            var cell = Unsafe.As<LocalActorRef>(target).Cell;
            if (cell.GetType() == typeof(ActorCell) && ReferenceEquals(cell.Dispatcher, _dispatcher) && cell.Mailbox is { } mailbox)
            {
                SimMailboxRun.Post(this, _dispatcher, mailbox, target, new Envelope(ev.Message, ev.Sender ?? ActorRefs.NoSender, _system));
                return;
            }
        }
        target.Tell(ev.Message, ev.Sender);
    }

    /// <summary>Runs every queued mailbox without advancing virtual time.</summary>
    internal void DrainWork()
    {
        while (_work.TryDequeue(out var work)) RunWork(work.Run);
    }

    private bool DrainForeign()
    {
        var any = false;
        while (_foreign.TryDequeue(out var run))
        {
            _foreignSignal.Wait(0);
            _work.Enqueue(new Work(run));
            any = true;
        }
        return any;
    }

    private void WaitForeign(SimContext ctx, string what)
    {
        if (!_foreignSignal.Wait(StallTimeout))
            throw new InvalidOperationException($"simulation lane {DispatcherId} stalled waiting for {what} (seed {ctx.Seed})");
        _foreignSignal.Release();
    }

    private readonly record struct Work(IRunnable Run);
}
