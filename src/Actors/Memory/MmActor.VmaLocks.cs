using ActorKernel.Actors.Metrics;
using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Memory;

/// <summary>
/// The per-VMA locks (<see cref="VmaLocks"/>) and what takes them: user-mode faults (MmActor.Access),
/// faulting probes that read in place under the lock they hold (trylock-minor, sleepable, trylock-vma), and mmap-lock writers
/// (mmap, munmap, mprotect, brk on the <see cref="ChurnArea"/> and the heap; dup_mmap in MmActor.Fork).
/// </summary>
public sealed partial class MmActor
{
    private readonly VmaLocks _vmaLocks;
    private readonly VmaWriteWaiter<Action> _vmaWriter = new();
    private readonly ChurnArea _churn = new();

    private ProbeInPlaceResult Resolve(int readId, ulong addr, int len, InPlaceRules rules, bool vmaLockHeld)
    {
        var swappedBefore = SwappedBefore(addr, len);
        var result = InPlaceFault.Read(_mm, addr, len, rules, _faultOptions);
        long faultNs = SettleMemory(addr, len, 0, swappedBefore);
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
        if (!_vmaLocks.TryStartRead(vma, _sim.NowNs))
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

    // vma_end_read(): a writer waiting for this VMA's readers retries.
    private void EndVmaRead(ulong addr)
    {
        var vma = _mm.FindVma(addr) ?? throw new ModelInvariantException($"mm {_mm.Id}: vma_end_read at {addr:x}: no VMA");
        _vmaLocks.EndRead(vma);
        _vmaWriter.Wake()?.Invoke();
    }

    private void ApplyWrite(MmapWriteApply a)
    {
        switch (a.Kind)
        {
            case MmapWriteKind.Mmap:
                // A new VMA: nothing existing is write-locked (mm/mmap.c __mmap_region on a fresh range).
                _churn.Map(_mm);
                break;
            case MmapWriteKind.Munmap:
                if (_churn.Oldest is { } victim)
                {
                    if (!StartWriteOrWait(victim, a)) return;
                    _vmaLocks.Forget(_churn.UnmapOldest(_mm));
                }
                break;
            case MmapWriteKind.Mprotect:
                if (_churn.Oldest is { } target && !StartWriteOrWait(target, a)) return;
                break;
            case MmapWriteKind.Brk:
                if (_mm.Heap is { } heap && !StartWriteOrWait(heap, a)) return;
                break;
        }
        a.ReplyTo.Tell(new MmapWriteApplied(a.Kind));
    }

    // vma_start_write(): false when the writer has to wait for the VMA's readers (it retries the whole operation).
    private bool StartWriteOrWait(Vma vma, MmapWriteApply a)
    {
        if (_vmaLocks.TryStartWrite(vma, _sim.NowNs)) return true;
        _vmaWriter.Wait(() => ApplyWrite(a), _mm.Id);
        return false;
    }
}
