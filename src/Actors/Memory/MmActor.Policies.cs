using ActorKernel.Actors.Metrics;
using ActorKernel.Actors.Tasks;
using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Memory;

/// <summary>
/// The mm's side of the faulting probe policies and of mmap-lock writers: in-place faults under
/// the lock the probe holds, the per-VMA locks (<see cref="VmaLocks"/>), and what mmap, munmap,
/// mprotect, brk and dup_mmap do to them.
/// </summary>
public sealed partial class MmActor
{
    /// <summary>Where the churn area starts: far below the libraries, above the heap.</summary>
    private const ulong ChurnAreaBase = 0x7f00_0000_0000;

    /// <summary>Upper bound of churn VMAs alive at once; an mmap beyond it only takes the lock.</summary>
    private const int MaxChurnVmas = 256;

    private const int ChurnVmaPages = 16;

    private readonly VmaLocks _vmaLocks = new();
    private readonly Queue<Vma> _churnVmas = new();
    private ulong _churnCursor = ChurnAreaBase;
    private Action? _writerWaitingForVmaReaders;

    private bool OnPolicyMessage(object message)
    {
        switch (message)
        {
            case ProbeInPlaceRead r:
                r.ReplyTo.Tell(Resolve(r.ReadId, r.Addr, r.LengthBytes, r.Rules, vmaLockHeld: false));
                return true;
            case ProbeVmaRead r:
                VmaRead(r);
                return true;
            case ProbeVmaReadEnd e:
                var vma = _mm.FindVma(e.Addr) ?? throw new ModelInvariantException($"mm {_mm.Id}: vma_end_read at {e.Addr:x}: no VMA");
                _vmaLocks.EndRead(vma);
                RetryWriter();
                return true;
            case MmapWriteApply a:
                ApplyWrite(a);
                return true;
            case MmapWriteEnd:
                _vmaLocks.EndWriteAll();
                return true;
            default:
                return false;
        }
    }

    private ProbeInPlaceResult Resolve(int readId, ulong addr, int len, InPlaceRules rules, bool vmaLockHeld)
    {
        var result = InPlaceFault.Read(_mm, addr, len, rules, _faultOptions);
        long faultNs = 0;
        foreach (var f in result.Faults)
        {
            faultNs += FaultCosts.Of(f, _settings.Costs);
            _metrics.Tell(new FaultTaken(f.Class.Kind, f.Major, f.PagesMapped));
        }
        return new ProbeInPlaceResult(readId, result, faultNs, vmaLockHeld);
    }

    // mm/memory.c lock_vma_under_rcu(): find the VMA, vma_start_read(); a write-locked VMA fails at once.
    private void VmaRead(ProbeVmaRead r)
    {
        var vma = _mm.FindVma(r.Addr);
        if (vma is null)
        {
            r.ReplyTo.Tell(new ProbeInPlaceResult(r.ReadId, new InPlaceReadResult(false, FailureCause.BadAddress, 1, Array.Empty<FaultOutcome>()), 0, false));
            return;
        }
        if (!_vmaLocks.TryStartRead(vma))
        {
            _metrics.Tell(new VmaLockTried(false));
            r.ReplyTo.Tell(new ProbeInPlaceResult(r.ReadId, new InPlaceReadResult(false, FailureCause.VmaLocked, 1, Array.Empty<FaultOutcome>()), 0, false));
            return;
        }
        _metrics.Tell(new VmaLockTried(true));
        // Only the part of the range inside this VMA is covered by its lock.
        var len = (int)Math.Min((ulong)r.LengthBytes, vma.EndAddr - r.Addr);
        r.ReplyTo.Tell(Resolve(r.ReadId, r.Addr, len, r.Rules, vmaLockHeld: true));
    }

    // kernel/fork.c dup_mmap() (6.5+): vma_start_write(mpnt) before copying it; it waits for the VMA's readers.
    private void DupMmapNextStep(DupMmapNext n)
    {
        var dup = _dup ?? throw new ModelInvariantException($"mm {_mm.Id}: dup_mmap step without a fork in progress");
        if (_settings.Kernel.Profile.ForkWriteLocksVmas && dup.NextVma is { } next && !_vmaLocks.TryStartWrite(next))
        {
            ParkWriter(() => DupMmapNextStep(n));
            return;
        }
        var step = dup.Step();
        n.ReplyTo.Tell(new DupMmapStepped(step, dup.IsDone));
    }

    private void ApplyWrite(MmapWriteApply a)
    {
        switch (a.Kind)
        {
            case MmapWriteKind.Mmap:
                // A new VMA: nothing existing is write-locked (mm/mmap.c __mmap_region on a fresh range).
                if (_churnVmas.Count < MaxChurnVmas)
                {
                    var vma = new Vma(_churnCursor, _churnCursor + ChurnVmaPages * (ulong)Pages.Size, VmaKind.AnonPrivate,
                        VmaProt.Read | VmaProt.Write, "churn");
                    _churnCursor = vma.EndAddr + Pages.Size;
                    _mm.AddVma(vma);
                    _churnVmas.Enqueue(vma);
                }
                break;
            case MmapWriteKind.Munmap:
                if (_churnVmas.TryPeek(out var victim))
                {
                    if (!_vmaLocks.TryStartWrite(victim))
                    {
                        ParkWriter(() => ApplyWrite(a));
                        return;
                    }
                    _churnVmas.Dequeue();
                    _mm.RemoveVma(victim);
                    _vmaLocks.Forget(victim);
                }
                break;
            case MmapWriteKind.Mprotect:
                if (_churnVmas.TryPeek(out var target) && !_vmaLocks.TryStartWrite(target))
                {
                    ParkWriter(() => ApplyWrite(a));
                    return;
                }
                break;
            case MmapWriteKind.Brk:
                if (HeapVma() is { } heap && !_vmaLocks.TryStartWrite(heap))
                {
                    ParkWriter(() => ApplyWrite(a));
                    return;
                }
                break;
        }
        a.ReplyTo.Tell(new MmapWriteApplied(a.Kind));
    }

    private Vma? HeapVma()
    {
        foreach (var v in _mm.Vmas)
            if (v.Name == "[heap]") return v;
        return null;
    }

    // Only one writer exists at a time (it holds the mmap lock for write), so one parked retry suffices.
    private void ParkWriter(Action retry)
    {
        ModelInvariantException.Check(_writerWaitingForVmaReaders is null, $"mm {_mm.Id}: two writers waiting for VMA readers");
        _writerWaitingForVmaReaders = retry;
    }

    private void RetryWriter()
    {
        var retry = _writerWaitingForVmaReaders;
        _writerWaitingForVmaReaders = null;
        retry?.Invoke();
    }
}
