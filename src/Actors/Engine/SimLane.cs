using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;

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
    private readonly Queue<IRunnable> _work = new(64);
    private readonly ConcurrentQueue<IRunnable> _foreign = new();
    private readonly SemaphoreSlim _foreignSignal = new(0);
    private readonly TimedQueue _timed = new();
    private int _driverThreadId = -1;
    private long _foreignDuringRun;
    private bool _sealed;
    private long _runCounter;

    public SimLane(ActorSystem system, int index)
    {
        _system = system;
        DispatcherId = $"actorkernel.sim-lane-{index}";
        var config = ConfigurationFactory.ParseString($"type = \"{typeof(SimDispatcherConfigurator).FullName}\"\nthroughput = {MailboxThroughput}")
            .WithFallback(system.Dispatchers.DefaultDispatcherConfig);
        var configurator = new SimDispatcherConfigurator(config, system.Dispatchers.Prerequisites, this, DispatcherId, MailboxThroughput);
        if (!system.Dispatchers.RegisterConfigurator(DispatcherId, configurator))
            throw new InvalidOperationException($"a simulation lane {DispatcherId} already exists in actor system {system.Name}");
    }

    public string DispatcherId { get; }

    internal void Submit(IRunnable run)
    {
        if (Environment.CurrentManagedThreadId == Volatile.Read(ref _driverThreadId))
        {
            _work.Enqueue(run);
            return;
        }
        if (Volatile.Read(ref _sealed)) Interlocked.Increment(ref _foreignDuringRun);
        _foreign.Enqueue(run);
        _foreignSignal.Release();
    }

    /// <summary>
    /// Executes one run to completion on the calling thread: creates the root from
    /// <paramref name="rootProps"/>, delivers events until the root completes or fails,
    /// then stops the root and drains what the stop produces.
    /// </summary>
    public SimRunOutcome Run(Func<SimContext, Props> rootProps, ulong seed, Interleaving interleaving, long maxEvents)
    {
        if (Interlocked.CompareExchange(ref _driverThreadId, Environment.CurrentManagedThreadId, -1) != -1)
            throw new InvalidOperationException($"lane {DispatcherId} is already driving a run");
        try
        {
            _timed.Clear();
            Interlocked.Exchange(ref _foreignDuringRun, 0);
            var ctx = new SimContext(_timed, DispatcherId, seed, interleaving, maxEvents);
            var root = _system.ActorOf(ctx.Bind(rootProps(ctx)), $"sim-{DispatcherId[^1..]}-{_runCounter++}");
            Drive(ctx, root);
            var foreign = Interlocked.Read(ref _foreignDuringRun);
            var failure = ctx.Failure;
            if (failure is null && foreign > 0)
                failure = $"{foreign} message(s) entered the run from another thread: an actor created without SimContext.Bind, the Akka scheduler, Ask or a test probe sending into the run — results would not be reproducible";
            return new SimRunOutcome(failure is null ? ctx.Result : null, failure, ctx.EventsDelivered, ctx.NowNs);
        }
        finally
        {
            _timed.Clear();
            Volatile.Write(ref _driverThreadId, -1);
        }
    }

    private void Drive(SimContext ctx, IActorRef root)
    {
        var idleTold = false;
        var stopping = false;
        while (true)
        {
            DrainWork();
            if (DrainForeign()) continue;

            if (!ctx.RootStarted)
            {
                WaitForeign(ctx, "the root actor to start");
                continue;
            }
            Volatile.Write(ref _sealed, true);

            if (ctx.IsCompleted)
            {
                if (ctx.RootStopped) break;
                if (!stopping)
                {
                    stopping = true;
                    Volatile.Write(ref _sealed, false);
                    root.Tell(PoisonPill.Instance);
                    continue;
                }
                WaitForeign(ctx, "the run's actors to stop");
                continue;
            }

            if (_timed.TryDequeue(out var ev, out var timeNs))
            {
                ctx.NowNs = timeNs;
                ctx.EventsDelivered++;
                ctx.CurrentEvent = $"{ev.Message.GetType().Name} to {ev.Target.Path.Name}";
                if (ctx.EventsDelivered > ctx.MaxEvents)
                {
                    ctx.Fail($"more than {ctx.MaxEvents} events (actor-kernel.engine.max-events): the model did not finish");
                    continue;
                }
                idleTold = false;
                ev.Target.Tell(ev.Message, ev.Sender);
                continue;
            }

            if (!idleTold)
            {
                idleTold = true;
                root.Tell(RunIdle.Instance);
                continue;
            }
            ctx.Fail("the run went idle without completing: no event pending and the root did not finish");
        }
        Volatile.Write(ref _sealed, false);
    }

    private void DrainWork()
    {
        while (_work.TryDequeue(out var run)) run.Run();
    }

    private bool DrainForeign()
    {
        var any = false;
        while (_foreign.TryDequeue(out var run))
        {
            _foreignSignal.Wait(0);
            _work.Enqueue(run);
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
}
