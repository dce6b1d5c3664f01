using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Cpu;
using ActorKernel.Actors.Engine;
using ActorKernel.Actors.Locking;
using ActorKernel.Actors.Memory;
using ActorKernel.Actors.Metrics;
using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Probe;

/// <summary>
/// A tracer's BPF program on one CPU. At every attach point it reads what the hit's read plan
/// names: at sys_enter_execve, like bcc's execsnoop, the filename, the argv pointer array, then
/// each argv string (bpf_probe_read_user[_str]); at sys_enter_write/sys_enter_openat each pointer
/// argument the workload declared. Each read takes virtual time, so other CPUs' events can land
/// between two reads of one hit. What a read does when the page-table walk finds no present PTE
/// is the policy's (kernel-model.md §5), acted on through its description: fail (no lock), take
/// the mmap lock or the VMA's lock (trylock or blocking) and resolve what it may in place, or
/// read nothing at the entry and read the kernel's copy at the later point (deferred).
/// </summary>
public sealed class ProbeReaderActor : UntypedActor
{
    private readonly SimContext _sim;
    private readonly ActorKernelSettings _settings;
    private readonly ProbePolicy _policy;
    private readonly IActorRef _metrics;
    private readonly long _lockOwner;
    private readonly Queue<PlannedRead> _reads = new();
    // Lookup only: the deferred read each task entered its syscall with, until its later point.
    private readonly Dictionary<int, DeferredExecRead> _deferred = new();
    private TracepointHit? _hit;
    private int _readId;
    private PlannedRead? _current;
    private long _hitStep;
    private long _hitStartNs, _readStartNs, _lockAttemptNs, _faultAndLockNs;

    public ProbeReaderActor(SimContext sim, ActorKernelSettings settings, ProbePolicy policy, IActorRef metrics, int cpu = 0)
    {
        _sim = sim;
        _settings = settings;
        _policy = policy;
        _metrics = metrics;
        _lockOwner = LockOwners.ProbeBase + cpu;
    }

    public static Props Props(SimContext sim, ActorKernelSettings settings, ProbePolicy policy, IActorRef metrics, int cpu = 0) =>
        sim.Bind(SimProps.Create(() => new ProbeReaderActor(sim, settings, policy, metrics, cpu)));

    private CostsSettings Costs => _settings.Costs;

    private PlannedRead Current => _current ?? throw new InvalidOperationException("no probe read in progress");

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case TracepointHit hit when _policy.Reads == ProbeReadPoint.Deferred:
                OnDeferringHit(hit);
                break;
            case TracepointHit hit:
                Begin(hit);
                foreach (var read in hit.Plan.Reads) _reads.Enqueue(read);
                IssueNext();
                break;
            case ReadNext n when n.Step == _hitStep:
                IssueNext();
                break;
            case ProbeWalkResult r when r.ReadId == _readId:
                OnWalked(r);
                break;
            case TryLock t when t.ReadId == _readId:
                TakeLock();
                break;
            case TryLockResult t when t.Owner == _lockOwner:
                if (t.Acquired) OnLocked();
                else Fail(FailureCause.MmapLockContended, Costs.MmapLockOpNs);
                break;
            case LockGranted g when g.Owner == _lockOwner:
                OnLocked();
                break;
            case ProbeInPlaceResult r when r.ReadId == _readId:
                OnResolved(r);
                break;
            case HoldDone h when h.ReadId == _readId:
                Unlock(h);
                break;
            default:
                _sim.Unexpected(Self, message);
                break;
        }
    }

    // A deferring program only remembers the call at the entry point (a map keyed by task, as
    // tracers do); it reads where the kernel has copied the data.
    private void OnDeferringHit(TracepointHit hit)
    {
        if (hit.Plan.Deferred is { } later)
        {
            _deferred[hit.TaskId] = later;
            hit.Cpu.Tell(new ProbeProgramDone(hit.TaskId));
            return;
        }
        if (hit.Plan.Reads.Count > 0)
            throw new InvalidOperationException($"policy {_policy.Name} at {hit.Point.ToName()}: the hit declares reads but no deferred read point");
        if (_deferred.TryGetValue(hit.TaskId, out var pending) && pending.ExitPoint == hit.Point)
        {
            _deferred.Remove(hit.TaskId);
            ReadDeferred(hit, pending);
            return;
        }
        hit.Cpu.Tell(new ProbeProgramDone(hit.TaskId));
    }

    private void Begin(TracepointHit hit)
    {
        if (_hit is not null)
            throw new InvalidOperationException($"probe hit on task {hit.TaskId} while still reading for task {_hit.TaskId}: probes must be per-CPU");
        _hit = hit;
        _hitStep++;
        _hitStartNs = _sim.NowNs;
        _faultAndLockNs = 0;
    }

    private void IssueNext()
    {
        if (!_reads.TryDequeue(out var read))
        {
            var hit = _hit!;
            _hit = null;
            _metrics.Tell(new ProbeProgramTimed(_sim.NowNs - _hitStartNs, _faultAndLockNs));
            hit.Cpu.Tell(new ProbeProgramDone(hit.TaskId));
            return;
        }
        _current = read;
        _readStartNs = _sim.NowNs;
        var size = _settings.Probe.ReadSize;
        _hit!.Mm.Tell(new ProbeWalk(read.Addr, size.BytesOf(read), ++_readId, Self, size.IsFixed(read) ? read.LengthBytes : 0));
    }

    private void OnWalked(ProbeWalkResult r)
    {
        var walkNs = Costs.PteWalkNs * r.Result.PagesWalked;
        if (r.Result.Ok || _policy.Resolves == InPlaceFaults.None || r.Result.Cause == FailureCause.BadAddress || _hit!.MmapSem is null)
        {
            Complete(r.Result.Ok, r.Result.Cause, walkNs + (r.Result.Ok ? Costs.ProbeReadNs : Costs.ProbeFixupNs), r.Result.PastString);
            return;
        }
        // The walk found no present PTE: the fault path starts once the walk's time has passed.
        _sim.Schedule(walkNs, Self, new TryLock(_readId));
    }

    // mmap_read_trylock(), mmap_read_lock() (down_read()), or lock_vma_under_rcu().
    private void TakeLock()
    {
        _lockAttemptNs = _sim.NowNs;
        var hit = _hit!;
        switch (_policy.Locks)
        {
            case ProbeLocking.MmapTrylock:
                hit.MmapSem!.Tell(new TryAcquireRead(_lockOwner, Self));
                break;
            case ProbeLocking.MmapBlocking:
                hit.MmapSem!.Tell(new AcquireRead(_lockOwner, Self));
                break;
            case ProbeLocking.VmaTrylock:
                hit.Mm.Tell(new ProbeVmaRead(Current.Addr, CurrentBytes, _readId, Rules, Self));
                break;
            default:
                throw new InvalidOperationException($"policy {_policy.Name} resolves faults in place but takes no lock");
        }
    }

    private InPlaceRules Rules => _policy.InPlaceRules(_settings.Probe.AllowAlloc);

    private void OnLocked() => _hit!.Mm.Tell(new ProbeInPlaceRead(Current.Addr, CurrentBytes, _readId, Rules, Self));

    // The bytes the helper copies: the string up to its NUL, or probe.fixed-read-bytes (probe.read-size).
    private int CurrentBytes => _settings.Probe.ReadSize.BytesOf(Current);

    // The lock is held across the faults and the copy; writers that arrive meanwhile wait.
    private void OnResolved(ProbeInPlaceResult r)
    {
        var locked = _policy.Locks != ProbeLocking.VmaTrylock || r.VmaLockHeld;
        if (!locked)
        {
            _faultAndLockNs += _sim.NowNs - _lockAttemptNs;
            Fail(r.Result.Cause!.Value, Costs.MmapLockOpNs);
            return;
        }
        var holdNs = Costs.MmapLockOpNs + r.FaultNs + (r.Result.Ok ? Costs.ProbeReadNs : Costs.ProbeFixupNs);
        _sim.Schedule(holdNs, Self, new HoldDone(_readId, r.Result.Ok, r.Result.Cause));
    }

    private void Unlock(HoldDone h)
    {
        if (_policy.Locks == ProbeLocking.VmaTrylock) _hit!.Mm.Tell(new ProbeVmaReadEnd(Current.Addr));
        else _hit!.MmapSem!.Tell(new ReleaseRead(_lockOwner));
        _faultAndLockNs += _sim.NowNs - _lockAttemptNs;
        Complete(h.Ok, h.Cause, 0);
    }

    private void Fail(FailureCause cause, long extraNs)
    {
        _faultAndLockNs += extraNs;
        Complete(false, cause, extraNs + Costs.ProbeFixupNs);
    }

    // Records the read; the next one starts after <paramref name="remainingNs"/> more virtual time.
    // pastString: a fixed-size nofault read failed wholly past the string's NUL (ProbeRead.WalkFixed).
    private void Complete(bool ok, FailureCause? cause, long remainingNs, bool pastString = false)
    {
        var latencyNs = _sim.NowNs - _readStartNs + remainingNs;
        ProvenanceLog.Current?.ProbeReadDone(_hit!.Point.ToName(), _policy.Name, Current.Target, _hit.TaskId, Current.Addr, ok, cause, _lockOwner);
        _metrics.Tell(new ProbeReadCompleted(
            _sim.NowNs, _hit!.Point.ToName(), _policy.Name, Current.Target, _hit.TaskId, Current.Addr, ok, cause, latencyNs, pastString));
        QueueDependents(ok);
        _sim.Schedule(remainingNs, Self, new ReadNext(_hitStep));
    }

    // Addresses that come from this read's bytes (argv strings from the array): when it could not be read, neither can they.
    private void QueueDependents(bool read)
    {
        var then = Current.Then;
        if (then.Count == 0) return;
        if (read)
        {
            foreach (var r in then) _reads.Enqueue(r);
            return;
        }
        foreach (var target in then.Select(r => r.Target).Distinct())
            _metrics.Tell(new ProbeReadSkipped(target, then.Count(r => r.Target == target)));
    }

    // The later point: the old mm may be gone; the kernel's copy is present in the new one. Stale:
    // the bytes differ from those at the entry point.
    private void ReadDeferred(TracepointHit hit, DeferredExecRead deferred)
    {
        var (area, reads) = deferred.Plan(-hit.TaskId);
        long programNs = 0;
        foreach (var read in reads)
        {
            var walk = ProbeRead.Walk(area.Mm, read.Addr, read.LengthBytes);
            var ns = Costs.PteWalkNs * walk.PagesWalked + (walk.Ok ? Costs.ProbeReadNs : Costs.ProbeFixupNs);
            programNs += ns;
            ProvenanceLog.Current?.ProbeReadDone(hit.Point.ToName(), _policy.Name, read.Target, hit.TaskId, read.Addr, walk.Ok, walk.Cause, _lockOwner);
            _metrics.Tell(new ProbeReadCompleted(_sim.NowNs, hit.Point.ToName(), _policy.Name, read.Target, hit.TaskId, read.Addr, walk.Ok, walk.Cause, ns));
            if (read.TextAtEntry is not null && walk.Ok && _policy.Reports.HasFlag(PolicyFigures.StaleReads))
                _metrics.Tell(new DeferredReadChecked(area.StringAt(read.Addr) != read.TextAtEntry));
        }
        _metrics.Tell(new ProbeProgramTimed(programNs, 0));
        _sim.Schedule(programNs, hit.Cpu, new ProbeProgramDone(hit.TaskId));
    }

    private sealed record ReadNext(long Step);

    private sealed record TryLock(int ReadId);

    private sealed record HoldDone(int ReadId, bool Ok, FailureCause? Cause);
}
