using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Memory;

/// <summary>The parent mm's side of fork: dup_mmap() step by step for the fork handler (kernel/fork.c).</summary>
public sealed partial class MmActor
{
    private DupMmap? _dup;

    private void DupMmapBegin(DupMmapBegin b)
    {
        _dup = DupMmap.Begin(_mm, b.ChildMmId, _settings.Kernel.Profile);
        b.ReplyTo.Tell(new DupMmapReady(_dup.VmaCount));
    }

    // kernel/fork.c dup_mmap() (6.5+): vma_start_write(mpnt) before copying it; it waits for the VMA's readers.
    private void DupMmapNextStep(DupMmapNext n)
    {
        var dup = _dup ?? throw new ModelInvariantException($"mm {_mm.Id}: dup_mmap step without a fork in progress");
        if (_settings.Kernel.Profile.ForkWriteLocksVmas && dup.NextVma is { } next && !_vmaLocks.TryStartWrite(next, _sim.NowNs))
        {
            _vmaWriter.Wait(() => DupMmapNextStep(n), _mm.Id);
            return;
        }
        var step = dup.Step();
        n.ReplyTo.Tell(new DupMmapStepped(step, dup.IsDone));
    }

    private void DupMmapTakeChild(DupMmapTakeChild t)
    {
        var dup = _dup ?? throw new ModelInvariantException($"mm {_mm.Id}: no fork in progress");
        ModelInvariantException.Check(dup.IsDone, $"mm {_mm.Id}: child taken before dup_mmap finished");
        _dup = null;
        // The fork handler releases the mmap write lock next: mmap_write_unlock() → vma_end_write_all().
        _vmaLocks.EndWriteAll();
        t.ReplyTo.Tell(new DupMmapChild(dup.Child));
    }
}
