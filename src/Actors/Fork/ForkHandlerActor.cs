using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Engine;
using ActorKernel.Actors.Locking;
using ActorKernel.Actors.Machine;
using ActorKernel.Actors.Memory;
using ActorKernel.Actors.Metrics;
using Akka.Actor;

namespace ActorKernel.Actors.Fork;

/// <summary>
/// One fork's dup_mmap() (kernel/fork.c): take the parent's mmap_lock for write, copy the
/// VMAs one per step — each step's virtual time grows with the PTEs it copies — then hand
/// the child mm to the machine and release the lock. A probe or a fault on another CPU can
/// land between any two steps. The actor stops when the fork is done.
/// </summary>
public sealed class ForkHandlerActor : UntypedActor
{
    private readonly SimContext _sim;
    private readonly CostsSettings _costs;
    private readonly SpawnRequest _request;
    private readonly long _owner;
    private readonly int _childMmId;
    private readonly IActorRef _metrics;
    private long _lockRequestedNs, _lockGrantedNs;
    private int _vmas, _copied, _skipped;

    public ForkHandlerActor(SimContext sim, CostsSettings costs, SpawnRequest request, long owner, int childMmId, IActorRef metrics)
    {
        _sim = sim;
        _costs = costs;
        _request = request;
        _owner = owner;
        _childMmId = childMmId;
        _metrics = metrics;
    }

    public static Props Props(SimContext sim, CostsSettings costs, SpawnRequest request, long owner, int childMmId, IActorRef metrics) =>
        sim.Bind(SimProps.Create(() => new ForkHandlerActor(sim, costs, request, owner, childMmId, metrics)));

    // copy_process() sets up the task (dup_task_struct, creds, files, fs, signals) before
    // copy_mm() → dup_mmap() takes the parent's mmap_lock: that part runs outside the lock.
    protected override void PreStart() => _sim.Schedule(_costs.ForkBaseNs, Self, TakeLock.Instance);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case TakeLock:
                _lockRequestedNs = _sim.NowNs;
                _request.Parent.MmapSem.Tell(new AcquireWrite(_owner, Self));
                break;
            case LockGranted:
                _lockGrantedNs = _sim.NowNs;
                _request.Parent.Mm.Tell(new DupMmapBegin(_childMmId, Self));
                break;
            case DupMmapReady r:
                _vmas = r.VmaCount;
                _request.Parent.Mm.Tell(new DupMmapNext(Self));
                break;
            case CopyNext:
                _request.Parent.Mm.Tell(new DupMmapNext(Self));
                break;
            case DupMmapStepped s:
                _copied += s.Step.PtesCopied;
                if (_sim.IsObserved)
                    _sim.Publish(new ForkStepObserved(_sim.NowNs, _childMmId, s.Step.ParentVma.Name, s.Step.PtesCopied, s.Step.PresentPtesSkipped, s.Done));
                _skipped += s.Step.PresentPtesSkipped;
                var stepNs = _costs.ForkPerVmaNs + _costs.ForkPerPteNs * s.Step.PtesCopied;
                _sim.Schedule(stepNs, Self, s.Done ? Finish.Instance : CopyNext.Instance);
                break;
            case Finish:
                _request.Parent.Mm.Tell(new DupMmapTakeChild(Self));
                break;
            case DupMmapChild c:
                _request.Parent.MmapSem.Tell(new ReleaseWrite(_owner));
                _metrics.Tell(new ForkFinished(_sim.NowNs - _lockGrantedNs, _lockGrantedNs - _lockRequestedNs, _vmas, _copied, _skipped));
                Context.Parent.Tell(new ForkCopied(_request, c.Child));
                Context.Stop(Self);
                break;
            default:
                _sim.Unexpected(Self, message);
                break;
        }
    }

    private sealed class TakeLock
    {
        public static readonly TakeLock Instance = new();
    }

    private sealed class CopyNext
    {
        public static readonly CopyNext Instance = new();
    }

    private sealed class Finish
    {
        public static readonly Finish Instance = new();
    }
}

/// <summary>dup_mmap copied (or skipped) one VMA for child mm <paramref name="ChildMmId"/>; published for scenario tests while the parent's mmap_lock is held for write.</summary>
public sealed record ForkStepObserved(long AtNs, int ChildMmId, string Vma, int PtesCopied, int PresentPtesSkipped, bool Last);
