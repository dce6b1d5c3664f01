using ActorKernel.Actors.Locking;
using ActorKernel.Actors.Memory;
using ActorKernel.Actors.Metrics;
using Akka.Actor;

namespace ActorKernel.Actors.Tasks;

/// <summary>
/// mmap/munmap/mprotect/brk as a task runs them: mmap_write_lock(), the change (and the VMA
/// write lock it needs), the hold, then mmap_write_unlock() → vma_end_write_all().
/// </summary>
public sealed partial class TaskActor
{
    private long _writeRequestedNs;

    private void BeginMmapWrite(MmapWriteOp w)
    {
        _writeRequestedNs = _sim.NowNs;
        _b.MmapSem.Tell(new AcquireWrite(_b.TaskId, Self));
    }

    private void OnWriteLockGranted(LockGranted g)
    {
        var w = (MmapWriteOp)_current!;
        _metrics.Tell(new ChurnOpDone(w.Kind, _sim.NowNs - _writeRequestedNs));
        _b.Mm.Tell(new MmapWriteApply(w.Kind, Self));
    }

    private bool OnMmapWriteMessage(object message)
    {
        switch (message)
        {
            case MmapWriteApplied:
                _sim.Schedule(((MmapWriteOp)_current!).HoldNs, Self, new MmapWriteHeld(_step));
                return true;
            case MmapWriteHeld h when h.Step == _step:
                _b.Mm.Tell(new MmapWriteEnd());
                _b.MmapSem.Tell(new ReleaseWrite(_b.TaskId));
                ContinueAfter(0);
                return true;
            default:
                return false;
        }
    }

    private sealed record MmapWriteHeld(long Step);
}
