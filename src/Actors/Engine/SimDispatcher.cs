using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;

namespace ActorKernel.Actors.Engine;

/// <summary>
/// A dispatcher that runs mailboxes on the lane's driver thread instead of a thread pool
/// (the shape of Akka.TestKit's CallingThreadDispatcher): every mailbox run is appended to
/// the lane's work queue, which the driver drains one mailbox at a time. One per lane,
/// registered once and reused across runs (Akka cannot unregister a dispatcher).
/// </summary>
internal sealed class SimDispatcher : MessageDispatcher
{
    private readonly SimLane _lane;

    public SimDispatcher(MessageDispatcherConfigurator configurator, SimLane lane, string id, int throughput)
        : base(configurator)
    {
        _lane = lane;
        Id = id;
        Throughput = throughput;
        // ThroughputDeadlineTime stays null: a deadline would bring the wall clock into the run.
    }

    protected override void ExecuteTask(IRunnable run) => _lane.Submit(run);

    // On the driver thread a message goes straight into the run's queues (SimMailboxRun); from any other
    // thread, or outside a run, through Akka's path to Submit, which runs or counts it.
    public override void Dispatch(ActorCell cell, Envelope envelope)
    {
        var mailbox = cell.Mailbox;
        if (mailbox is null || !_lane.IsDriverThread)
        {
            base.Dispatch(cell, envelope);
            return;
        }
        SimMailboxRun.Post(_lane, this, mailbox, cell.Self, envelope);
    }

    // Akka calls this on a wall-clock timer after the last actor detaches. The lane owns all
    // state, so there is nothing here to lose, and queued mailboxes are never dropped.
    protected override void Shutdown()
    {
    }
}

internal sealed class SimDispatcherConfigurator : MessageDispatcherConfigurator
{
    private readonly SimDispatcher _dispatcher;

    public SimDispatcherConfigurator(Config config, IDispatcherPrerequisites prerequisites, SimLane lane, string id, int throughput)
        : base(config, prerequisites)
    {
        _dispatcher = new SimDispatcher(this, lane, id, throughput);
    }

    public override MessageDispatcher Dispatcher() => _dispatcher;
}
