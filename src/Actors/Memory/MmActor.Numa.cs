using ActorKernel.Actors.Metrics;
using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Memory;

/// <summary>The mm's side of automatic NUMA balancing: task_numa_work() passes for the scanner, and do_numa_page() on hint faults.</summary>
public sealed partial class MmActor
{
    private readonly MmNumaState _numa = new();
    private IActorRef? _numaScanner;
    private TaskNumaWork? _numaWork;

    private void NumaScanBegin(NumaScanBegin b)
    {
        _numaWork = new TaskNumaWork(_mm, _numa, _settings.NumaBalancing.Params, _settings.Kernel.Profile,
            _sim.NowNs, b.TaskId, b.CpuNode, b.NrThreads);
        b.ReplyTo.Tell(new NumaScanReady(_numaWork.StartSeq));
    }

    private void NumaScanNext(NumaScanNext n)
    {
        var work = _numaWork ?? throw new ModelInvariantException($"mm {_mm.Id}: task_numa_work step without a pass");
        var chunk = work.Step();
        if (work.IsDone) _numaWork = null;
        n.ReplyTo.Tell(new NumaScanStepped(chunk));
    }

    // do_numa_page(): decide (pid bit, last_cpupid, migrate?), restore the PTE, tell the scanner
    // (task_numa_fault) and the metrics. A single node never migrates.
    private long NumaHint(UserAccess a, ulong at, ulong vpn, FaultOptions options)
    {
        var vma = _mm.FindVma(at)!;
        var d = NumaHintFault.Decide(_numa, vma, vpn, _mm.GetPte(vpn), a.TaskId, a.CpuNode, _settings.Kernel.Profile);
        var migrateTo = _settings.Machine.NumaNodes > 1 ? d.MigrateToNode : -1;
        var outcome = FaultModel.Handle(_mm, at, a.Kind, options with { MigrateToNode = migrateTo });
        _numaScanner?.Tell(new NumaHintFaulted(a.TaskId, d.Local, d.Private, outcome.Migrated, outcome.NumaNode, _numa.ScanSeq));
        _metrics.Tell(new NumaHintFaultTaken(_sim.NowNs, _mm.Id, a.TaskId, d.Local, outcome.Migrated, outcome.NumaNode));
        return _settings.NumaCosts.HintFaultNs + (outcome.Migrated ? _settings.NumaCosts.MigratePageNs : 0);
    }
}
