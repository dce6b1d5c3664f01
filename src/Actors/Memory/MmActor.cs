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
        var k = settings.Kernel.Profile;
        _vmaLocks = new VmaLocks(k.VmaWriterShutsOutReaders, k.RwsemWriterSpinsOnReaders);
        // The machine's MMU decides whether an old PTE faults (machine.arch, machine.hw-pte-young).
        _mm.Arch = settings.Machine.Arch;
    }

    public static Props Props(SimContext sim, AddressSpace mm, ActorKernelSettings settings, IActorRef metrics) =>
        sim.Bind(SimProps.Create(() => new MmActor(sim, mm, settings, metrics)));

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case ProbeWalk w:
            {
                var walk = w.StringBytes > 0
                    ? ProbeRead.WalkFixed(_mm, w.Addr, w.LengthBytes, w.StringBytes)
                    : ProbeRead.Walk(_mm, w.Addr, w.LengthBytes);
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
            case MakePteOld old:
                old.Reply(_mm.MakePteOld(Pages.Vpn(old.Addr)));
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
                EndVmaRead(e.Addr);
                break;
            case UserVmaReadEnd e:
                EndVmaRead(e.Addr);
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
        if (!a.LockHeld)
        {
            // Without a lock, only check: a fault needs the mmap_lock (lock_mm_and_find_vma) or, for a user-mode
            // fault on 6.4+, the VMA's own lock (lock_vma_under_rcu).
            if (!NeedsFault(a))
                a.ReplyTo.Tell(new AccessDone(a.Addr, _settings.Costs.CopyFromUserNs + SettleMemory(a.Addr, a.LengthBytes, a.CpuNode, null), 0, 0, null));
            else if (!a.UserMode || !FaultUnderVmaLock(a))
                a.ReplyTo.Tell(new AccessNeedsLock(a.Addr));
            return;
        }
        a.ReplyTo.Tell(HandleFaults(a));
    }

    private bool NeedsFault(UserAccess a)
    {
        var last = a.Addr + (ulong)a.LengthBytes - 1;
        for (var vpn = Pages.Vpn(a.Addr); vpn <= Pages.Vpn(last); vpn++)
        {
            if (FaultModel.Classify(_mm, Math.Max(a.Addr, Pages.AddrOf(vpn)), a.Kind).Kind != FaultKind.None) return true;
        }
        return false;
    }

    // arch/x86/mm/fault.c do_user_addr_fault() (6.4+): a user-mode fault tries lock_vma_under_rcu() first and
    // touches the mmap_lock only when that fails (UserFaultPath holds the version rules). False: take the mmap_lock.
    private bool FaultUnderVmaLock(UserAccess a)
    {
        var path = UserFaultPath.Choose(_mm, a.Addr, a.LengthBytes, a.Kind, _settings.Kernel.Profile);
        if (path == UserFaultLock.MmapLock) return false;
        var vma = _mm.FindVma(a.Addr)!;
        if (!_vmaLocks.TryStartRead(vma, _sim.NowNs)) return false;
        if (path == UserFaultLock.VmaLockThenMmapTrylock)
        {
            // 6.18 __vmf_anon_prepare(): mmap_read_trylock() for the anon_vma. The model hands the whole fault to
            // the mmap read lock if the trylock succeeds (the kernel keeps it only around __anon_vma_prepare()).
            EndVmaRead(a.Addr);
            a.ReplyTo.Tell(new AccessNeedsLock(a.Addr, TrylockFirst: true));
            return true;
        }
        var done = HandleFaults(a);
        a.ReplyTo.Tell(done);
        // The VMA read lock is held while the faults take their time, as the mmap read lock would be (UserCopies).
        _sim.Schedule(done.CostNs, Self, new UserVmaReadEnd(a.Addr));
        return true;
    }

    private AccessDone HandleFaults(UserAccess a)
    {
        var last = a.Addr + (ulong)a.LengthBytes - 1;
        var swappedBefore = SwappedBefore(a.Addr, a.LengthBytes);
        long costNs = _settings.Costs.CopyFromUserNs;
        int minor = 0, major = 0;
        for (var vpn = Pages.Vpn(a.Addr); vpn <= Pages.Vpn(last); vpn++)
        {
            var at = Math.Max(a.Addr, Pages.AddrOf(vpn));
            var options = a.CpuNode == 0 ? _faultOptions : _faultOptions with { AllocNode = a.CpuNode };
            if (FaultModel.Classify(_mm, at, a.Kind).Kind == FaultKind.NumaHint)
            {
                ProvenanceLog.Current?.FaultHandled(_mm.Id, a.TaskId, at, nameof(FaultKind.NumaHint), false, 1);
                costNs += NumaHint(a, at, vpn, options);
                continue;
            }
            var outcome = FaultModel.Handle(_mm, at, a.Kind, options);
            if (outcome.Class.Kind == FaultKind.None) continue;
            if (!outcome.Class.IsResolvable)
            {
                costNs += SettleMemory(a.Addr, (int)(at - a.Addr), a.CpuNode, swappedBefore);
                return new AccessDone(a.Addr, costNs, minor, major, outcome.Class.Kind);
            }
            ProvenanceLog.Current?.FaultHandled(_mm.Id, a.TaskId, at, outcome.Class.Kind.ToString(), outcome.Major, outcome.PagesMapped);
            if (outcome.Major) major++;
            else minor++;
            costNs += FaultCosts.Of(outcome, _settings.Costs);
            _metrics.Tell(new FaultTaken(outcome.Class.Kind, outcome.Major, outcome.PagesMapped));
        }
        // Charging the new pages may wake kswapd or make this task reclaim directly: that time is the task's.
        costNs += SettleMemory(a.Addr, a.LengthBytes, a.CpuNode, swappedBefore);
        return new AccessDone(a.Addr, costNs, minor, major, null);
    }

    /// <summary>vma_end_read() of a user fault's VMA lock, once its faults' time has passed.</summary>
    private sealed record UserVmaReadEnd(ulong Addr);

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
