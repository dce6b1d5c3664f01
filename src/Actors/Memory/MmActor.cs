using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Engine;
using ActorKernel.Actors.Metrics;
using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Memory;

/// <summary>
/// One address space (struct mm_struct): its VMAs and page table. Answers probe walks,
/// applies faults, runs dup_mmap steps for the fork handler, and releases the address
/// space when its last user is gone (exit_mmap).
/// </summary>
public sealed partial class MmActor : UntypedActor
{
    private readonly SimContext _sim;
    private readonly AddressSpace _mm;
    private readonly ActorKernelSettings _settings;
    private readonly IActorRef _metrics;
    private readonly FaultOptions _faultOptions;
    private DupMmap? _dup;
    private readonly MmNumaState _numa = new();
    private IActorRef? _numaScanner;
    private TaskNumaWork? _numaWork;

    public MmActor(SimContext sim, AddressSpace mm, ActorKernelSettings settings, IActorRef metrics)
    {
        _sim = sim;
        _mm = mm;
        _settings = settings;
        _metrics = metrics;
        _faultOptions = new FaultOptions { FaultAroundBytes = settings.Mm.FaultAroundBytes };
    }

    public static Props Props(SimContext sim, AddressSpace mm, ActorKernelSettings settings, IActorRef metrics) =>
        sim.Bind(SimProps.Create(() => new MmActor(sim, mm, settings, metrics)));

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case ProbeWalk w:
                w.ReplyTo.Tell(new ProbeWalkResult(w.ReadId, ProbeRead.Walk(_mm, w.Addr, w.LengthBytes)));
                break;
            case UserAccess a:
                Access(a);
                break;
            case AdvisePageCache adv:
                Advise(adv);
                break;
            case DupMmapBegin b:
                _dup = DupMmap.Begin(_mm, b.ChildMmId, _settings.Kernel.Profile);
                b.ReplyTo.Tell(new DupMmapReady(_dup.VmaCount));
                break;
            case DupMmapNext n:
                DupMmapNextStep(n);
                break;
            case DupMmapTakeChild t:
            {
                var dup = _dup ?? throw new ModelInvariantException($"mm {_mm.Id}: no fork in progress");
                ModelInvariantException.Check(dup.IsDone, $"mm {_mm.Id}: child taken before dup_mmap finished");
                _dup = null;
                // The fork handler releases the mmap write lock next: mmap_write_unlock() → vma_end_write_all().
                _vmaLocks.EndWriteAll();
                t.ReplyTo.Tell(new DupMmapChild(dup.Child));
                break;
            }
            case MmGet:
                _mm.MmUsers++;
                break;
            case MmPut:
                _mm.MmUsers--;
                if (_mm.MmUsers == 0)
                {
                    _mm.Release();
                    Context.Stop(Self);
                }
                break;
            case InspectPageTable i:
                i.Callback(PageTableView.Describe(_mm));
                break;
            case DescribePageTable d:
                d.ReplyTo.Tell(PageTableView.Describe(_mm));
                break;
            case AttachNumaScanner n:
                _numaScanner = n.Scanner;
                break;
            case NumaScanBegin b:
                _numaWork = new TaskNumaWork(_mm, _numa, _settings.NumaBalancing.Params, _settings.Kernel.Profile,
                    _sim.NowNs, b.TaskId, b.CpuNode, b.NrThreads);
                b.ReplyTo.Tell(new NumaScanReady(_numaWork.StartSeq));
                break;
            case NumaScanNext n:
            {
                var work = _numaWork ?? throw new ModelInvariantException($"mm {_mm.Id}: task_numa_work step without a pass");
                var chunk = work.Step();
                if (work.IsDone) _numaWork = null;
                n.ReplyTo.Tell(new NumaScanStepped(chunk));
                break;
            }
            case DescribeNumaPageTable d:
                d.ReplyTo.Tell(new PageTableSnapshot(_sim.NowNs, _mm.Id, NumaPageTableView.Describe(_mm)));
                break;
            default:
                if (!OnPolicyMessage(message)) _sim.Unexpected(Self, message);
                break;
        }
    }

    private void Access(UserAccess a)
    {
        var last = a.Addr + (ulong)a.LengthBytes - 1;
        // Without the lock, only check: a fault needs mmap_lock held (lock_mm_and_find_vma).
        if (!a.LockHeld)
        {
            for (var vpn = Pages.Vpn(a.Addr); vpn <= Pages.Vpn(last); vpn++)
            {
                var at = Math.Max(a.Addr, Pages.AddrOf(vpn));
                if (FaultModel.Classify(_mm, at, a.Kind).Kind != FaultKind.None)
                {
                    a.ReplyTo.Tell(new AccessNeedsLock(a.Addr));
                    return;
                }
            }
            a.ReplyTo.Tell(new AccessDone(a.Addr, _settings.Costs.CopyFromUserNs, 0, 0, null));
            return;
        }

        long costNs = _settings.Costs.CopyFromUserNs;
        int minor = 0, major = 0;
        for (var vpn = Pages.Vpn(a.Addr); vpn <= Pages.Vpn(last); vpn++)
        {
            var at = Math.Max(a.Addr, Pages.AddrOf(vpn));
            var options = a.CpuNode == 0 ? _faultOptions : _faultOptions with { AllocNode = a.CpuNode };
            if (FaultModel.Classify(_mm, at, a.Kind).Kind == FaultKind.NumaHint)
            {
                costNs += NumaHint(a, at, vpn, options);
                continue;
            }
            var outcome = FaultModel.Handle(_mm, at, a.Kind, options);
            if (outcome.Class.Kind == FaultKind.None) continue;
            if (!outcome.Class.IsResolvable)
            {
                a.ReplyTo.Tell(new AccessDone(a.Addr, costNs, minor, major, outcome.Class.Kind));
                return;
            }
            if (outcome.Major) major++;
            else minor++;
            costNs += FaultCosts.Of(outcome, _settings.Costs);
            _metrics.Tell(new FaultTaken(outcome.Class.Kind, outcome.Major, outcome.PagesMapped));
        }
        a.ReplyTo.Tell(new AccessDone(a.Addr, costNs, minor, major, null));
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

    private void Advise(AdvisePageCache adv)
    {
        var vma = _mm.FindVma(adv.Addr);
        if (vma?.File is not { } file) return;
        var page = vma.FilePageOf(Pages.Vpn(adv.Addr));
        // invalidate_mapping_pages() leaves mapped pages alone: a page some PTE maps stays cached.
        if (!file.TryEvict(page)) return;
        if (adv.Advice == PageCacheAdvice.ReadaheadMarker) file.SetCacheState(page, PageCacheState.ReadaheadMarker);
    }
}
