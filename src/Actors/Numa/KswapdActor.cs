using ActorKernel.Actors.Cpu;
using ActorKernel.Actors.Engine;
using ActorKernel.Actors.Memory;
using ActorKernel.Actors.Metrics;
using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Numa;

/// <summary>
/// A node's kswapd (mm/vmscan.c kswapd() → balance_pgdat(), 4.14, 6.8, 6.18): woken when an allocation
/// takes the node below its low watermark, it reclaims in steps of <see cref="StepPages"/> until the
/// node is balanced (free pages at the high watermark) or reclaim makes no progress, then sleeps. Each
/// step runs on a CPU of its node for costs.reclaim-ns-per-page per page scanned, taking turns with the
/// tasks there. The reclaim rules live in <see cref="MemoryModel"/>.
/// </summary>
public sealed class KswapdActor : UntypedActor
{
    /// <summary>Pages one step reclaims at most: SWAP_CLUSTER_MAX batches, 32 of them (4 MiB).</summary>
    public const int StepPages = MemoryModel.SwapClusterMax * 32;

    private readonly SimContext _sim;
    private readonly int _node;
    private readonly MemoryModel _memory;
    private readonly IActorRef _cpu;
    private readonly long _reclaimNsPerPage;
    private readonly IActorRef _metrics;
    private bool _onCpu, _sleepAfterStep, _woken;

    public KswapdActor(SimContext sim, int node, MemoryModel memory, IActorRef cpu, long reclaimNsPerPage, IActorRef metrics)
    {
        _sim = sim;
        _node = node;
        _memory = memory;
        _cpu = cpu;
        _reclaimNsPerPage = reclaimNsPerPage;
        _metrics = metrics;
    }

    public static Props Props(SimContext sim, int node, MemoryModel memory, IActorRef cpu, long reclaimNsPerPage, IActorRef metrics) =>
        sim.Bind(SimProps.Create(() => new KswapdActor(sim, node, memory, cpu, reclaimNsPerPage, metrics)));

    /// <summary>kswapd's id on its CPU's run queue: above every task id the machine hands out.</summary>
    public static int TaskIdOf(int node) => int.MaxValue - node;

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case WakeKswapd:
                // A wake while a step is on the CPU is taken when the step ends (kswapd_try_to_sleep() sees it).
                _woken = true;
                if (!_onCpu) Step();
                break;
            case RunDone d when d.TaskId == TaskIdOf(_node) && _onCpu:
                _onCpu = false;
                if (!_sleepAfterStep || _woken) Step();
                break;
            default:
                _sim.Unexpected(Self, message);
                break;
        }
    }

    private void Step()
    {
        _woken = false;
        var r = _memory.BalancePgdat(_node, StepPages, out _sleepAfterStep);
        _metrics.Tell(MemorySampled.Of(_sim.NowNs, _memory));
        var costNs = r.Scanned * _reclaimNsPerPage;
        if (costNs > 0)
        {
            _onCpu = true;
            _cpu.Tell(new RunRequest(TaskIdOf(_node), Self, costNs, null));
            return;
        }
        // Nothing scanned (or reclaim is free): asleep unless reclaim is still needed.
        if (!_sleepAfterStep) _sim.Schedule(0, Self, new WakeKswapd(_node));
    }
}
