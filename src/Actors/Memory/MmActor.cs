using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Engine;
using ActorKernel.Actors.Metrics;
using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Memory;

/// <summary>
/// One address space (struct mm_struct): its VMAs and page table. Answers probe walks, applies
/// faults, and releases the address space when its last user is gone (exit_mmap). The rules live
/// in the model; by concept, the partial files hold dup_mmap for the fork handler (MmActor.Fork),
/// NUMA balancing (MmActor.Numa) and the per-VMA locks that faulting probes and mmap-lock writers
/// take (MmActor.VmaLocks).
/// </summary>
public sealed partial class MmActor : UntypedActor
{
    private readonly SimContext _sim;
    private readonly AddressSpace _mm;
    private readonly ActorKernelSettings _settings;
    private readonly IActorRef _metrics;
    private readonly FaultOptions _faultOptions;

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
            {
                var walk = ProbeRead.Walk(_mm, w.Addr, w.LengthBytes);
                // The probe's copy sets the accessed bits of what it read, as any access through the page table does.
                if (walk.Ok) SettleMemory(w.Addr, w.LengthBytes, 0, null);
                w.ReplyTo.Tell(new ProbeWalkResult(w.ReadId, walk));
                break;
            }
            case AttachMemory m:
                AttachMemory(m);
                break;
            case UserAccess a:
                Access(a);
                break;
            case AdvisePageCache adv:
                Advise(adv);
                break;
            case MmGet:
                _mm.MmUsers++;
                break;
            case MmPut:
                DropUser();
                break;
            case InspectPageTable i:
                i.Callback(PageTableView.Describe(_mm));
                break;
            case DescribePageTable d:
                d.ReplyTo.Tell(new PageTableSnapshot(_sim.NowNs, _mm.Id, PageTableView.Describe(_mm)));
                break;
            case DupMmapBegin b:
                DupMmapBegin(b);
                break;
            case DupMmapNext n:
                DupMmapNextStep(n);
                break;
            case DupMmapTakeChild t:
                DupMmapTakeChild(t);
                break;
            case AttachNumaScanner n:
                _numaScanner = n.Scanner;
                break;
            case NumaScanBegin b:
                NumaScanBegin(b);
                break;
            case NumaScanNext n:
                NumaScanNext(n);
                break;
            case ProbeInPlaceRead r:
                r.ReplyTo.Tell(Resolve(r.ReadId, r.Addr, r.LengthBytes, r.Rules, vmaLockHeld: false));
                break;
            case ProbeVmaRead r:
                VmaRead(r);
                break;
            case ProbeVmaReadEnd e:
                VmaReadEnd(e);
                break;
            case MmapWriteApply a:
                ApplyWrite(a);
                break;
            case MmapWriteEnd:
                _vmaLocks.EndWriteAll();
                break;
            default:
                _sim.Unexpected(Self, message);
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
            a.ReplyTo.Tell(new AccessDone(a.Addr, _settings.Costs.CopyFromUserNs + SettleMemory(a.Addr, a.LengthBytes, a.CpuNode, null), 0, 0, null));
            return;
        }

        var swappedBefore = SwappedBefore(a.Addr, a.LengthBytes);
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
                costNs += SettleMemory(a.Addr, (int)(at - a.Addr), a.CpuNode, swappedBefore);
                a.ReplyTo.Tell(new AccessDone(a.Addr, costNs, minor, major, outcome.Class.Kind));
                return;
            }
            if (outcome.Major) major++;
            else minor++;
            costNs += FaultCosts.Of(outcome, _settings.Costs);
            _metrics.Tell(new FaultTaken(outcome.Class.Kind, outcome.Major, outcome.PagesMapped));
        }
        // Charging the new pages may wake kswapd or make this task reclaim directly: that time is the task's.
        costNs += SettleMemory(a.Addr, a.LengthBytes, a.CpuNode, swappedBefore);
        a.ReplyTo.Tell(new AccessDone(a.Addr, costNs, minor, major, null));
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

    // kernel/fork.c mmput(): the last user releases the address space (exit_mmap) and the actor stops.
    private void DropUser()
    {
        _mm.MmUsers--;
        if (_mm.MmUsers != 0) return;
        ReleaseMemory();
        _mm.Release();
        Context.Parent.Tell(new MmReleased(_mm.Id));
        Context.Stop(Self);
    }
}
