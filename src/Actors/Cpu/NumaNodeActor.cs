using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Engine;
using Akka.Actor;

namespace ActorKernel.Actors.Cpu;

/// <summary>
/// One NUMA node: owns its CPUs (created as its children) and, in the NUMA-balancing
/// release, its page frames. Tells its parent when its CPUs exist.
/// </summary>
public sealed class NumaNodeActor : UntypedActor
{
    private readonly SimContext _sim;
    private readonly int _node;
    private readonly int _firstCpu;
    private readonly int _cpus;
    private readonly SchedSettings _sched;

    public NumaNodeActor(SimContext sim, int node, int firstCpu, int cpus, SchedSettings sched)
    {
        _sched = sched;
        _sim = sim;
        _node = node;
        _firstCpu = firstCpu;
        _cpus = cpus;
    }

    public static Props Props(SimContext sim, int node, int firstCpu, int cpus, SchedSettings sched) =>
        sim.Bind(SimProps.Create(() => new NumaNodeActor(sim, node, firstCpu, cpus, sched)));

    protected override void PreStart()
    {
        var cpus = new IActorRef[_cpus];
        for (var i = 0; i < _cpus; i++)
            cpus[i] = Context.ActorOf(CpuActor.Props(_sim, _firstCpu + i, _node, _sched), $"cpu{_firstCpu + i}");
        Context.Parent.Tell(new NodeReady(_node, cpus));
    }

    protected override void OnReceive(object message) => _sim.Unexpected(Self, message);

    // A CPU that throws must fail the run (the root's strategy), not be restarted with its run queue lost.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Escalate);
}
