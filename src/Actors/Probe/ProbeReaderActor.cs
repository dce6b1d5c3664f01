using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Cpu;
using ActorKernel.Actors.Engine;
using ActorKernel.Actors.Locking;
using ActorKernel.Actors.Memory;
using ActorKernel.Actors.Metrics;
using ActorKernel.Actors.Tasks;
using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Probe;

/// <summary>
/// A tracer's BPF program on one CPU. At sys_enter_execve, like bcc's execsnoop: read the
/// filename, the argv pointer array, then each argv string (bpf_probe_read_user[_str]); at
/// other syscall entry tracepoints (sys_enter_write, sys_enter_openat) each pointer argument
/// the syscall's read plan names. Each read takes
/// virtual time, so other CPUs' events can land between two reads of one hit. What a read
/// does when the page-table walk finds no present PTE is the policy's (kernel-model.md §5):
/// fail (nofault), take the mmap lock with trylock (trylock-minor) or the VMA's lock
/// (trylock-vma) and resolve a minor fault in place, wait for the lock and fault fully
/// (sleepable), or read nothing here and read the new mm's argument area at
/// sched_process_exec (deferred).
/// </summary>
public sealed class ProbeReaderActor : UntypedActor
{
    private readonly SimContext _sim;
    private readonly ActorKernelSettings _settings;
    private readonly ProbePolicy _policy;
    private readonly IActorRef _metrics;
    private readonly long _lockOwner;
    private readonly Queue<(string Target, ulong Addr, int Len)> _reads = new();
    // Lookup only: the arguments each task entered execve with, until its sched_process_exec.
    private readonly Dictionary<int, ExecveArgs> _deferred = new();
    private Hit? _hit;
    private int _readId;
    private string _currentTarget = "";
    private ulong _currentAddr;
    private int _currentLen;
    private long _hitStep;
    private long _hitStartNs, _readStartNs, _lockAttemptNs, _faultAndLockNs;

    public ProbeReaderActor(SimContext sim, ActorKernelSettings settings, ProbePolicy policy, IActorRef metrics, int cpu = 0)
    {
        if (PolicyAvailability.Unavailable(policy, settings) is { } why) throw new InvalidOperationException(why);
        _sim = sim;
        _settings = settings;
        _policy = policy;
        _metrics = metrics;
        _lockOwner = LockOwners.ProbeBase + cpu;
    }

    public static Props Props(SimContext sim, ActorKernelSettings settings, ProbePolicy policy, IActorRef metrics, int cpu = 0) =>
        sim.Bind(SimProps.Create(() => new ProbeReaderActor(sim, settings, policy, metrics, cpu)));

    private CostsSettings Costs => _settings.Costs;

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case TracepointHit { Point: Tracepoint.SchedProcessExec } hit:
                ReadDeferred(hit);
                break;
            case TracepointHit hit when _policy == ProbePolicy.Deferred:
                // The program only remembers the call; the strings are read where the kernel has copied them.
                _deferred[hit.TaskId] = hit.Args;
                hit.Cpu.Tell(new ProbeProgramDone(hit.TaskId));
                break;
            case TracepointHit hit:
                Begin(new Hit(hit.Point, hit.TaskId, hit.Mm, hit.Cpu, hit.MmapSem, hit.Args));
                _reads.Enqueue((ProbeTargets.Filename, hit.Args.Filename.Addr, hit.Args.Filename.LengthBytes));
                _reads.Enqueue((ProbeTargets.ArgvArray, hit.Args.ArgvAddr, 8 * Math.Min(hit.Args.Argv.Count + 1, _settings.Probe.MaxArgv)));
                IssueNext();
                break;
            case SyscallHit hit:
                Begin(new Hit(hit.Point, hit.TaskId, hit.Mm, hit.Cpu, hit.MmapSem, null));
                foreach (var r in hit.Args.ProbeReads) _reads.Enqueue((r.Target, r.Addr, r.LengthBytes));
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

    private void Begin(Hit hit)
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
        _currentTarget = read.Target;
        _currentAddr = read.Addr;
        _currentLen = read.Len;
        _readStartNs = _sim.NowNs;
        _hit!.Mm.Tell(new ProbeWalk(read.Addr, read.Len, ++_readId, Self));
    }

    private void OnWalked(ProbeWalkResult r)
    {
        var walkNs = Costs.PteWalkNs * r.Result.PagesWalked;
        if (r.Result.Ok || _policy == ProbePolicy.NoFault || r.Result.Cause == FailureCause.BadAddress || _hit!.MmapSem is null)
        {
            Complete(r.Result.Ok, r.Result.Cause, walkNs + (r.Result.Ok ? Costs.ProbeReadNs : Costs.ProbeFixupNs));
            return;
        }
        // The walk found no present PTE: the fault path starts once the walk's time has passed.
        _sim.Schedule(walkNs, Self, new TryLock(_readId));
    }

    // mmap_read_trylock() (trylock-minor), down_read() (sleepable), or lock_vma_under_rcu() (trylock-vma).
    private void TakeLock()
    {
        _lockAttemptNs = _sim.NowNs;
        var hit = _hit!;
        switch (_policy)
        {
            case ProbePolicy.TrylockMinor:
                hit.MmapSem!.Tell(new TryAcquireRead(_lockOwner, Self));
                break;
            case ProbePolicy.Sleepable:
                hit.MmapSem!.Tell(new AcquireRead(_lockOwner, Self));
                break;
            case ProbePolicy.TrylockVma:
                hit.Mm.Tell(new ProbeVmaRead(_currentAddr, _currentLen, _readId, Rules, Self));
                break;
            default:
                throw new InvalidOperationException($"policy {_policy.ToName()} does not take a lock");
        }
    }

    private InPlaceRules Rules => _policy == ProbePolicy.Sleepable ? InPlaceRules.Full : InPlaceRules.MinorOnly(_settings.Probe.AllowAlloc);

    private void OnLocked() => _hit!.Mm.Tell(new ProbeInPlaceRead(_currentAddr, _currentLen, _readId, Rules, Self));

    // The lock is held across the faults and the copy; writers that arrive meanwhile wait.
    private void OnResolved(ProbeInPlaceResult r)
    {
        var locked = _policy != ProbePolicy.TrylockVma || r.VmaLockHeld;
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
        if (_policy == ProbePolicy.TrylockVma) _hit!.Mm.Tell(new ProbeVmaReadEnd(_currentAddr));
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
    private void Complete(bool ok, FailureCause? cause, long remainingNs)
    {
        var latencyNs = _sim.NowNs - _readStartNs + remainingNs;
        _metrics.Tell(new ProbeReadCompleted(
            _sim.NowNs, _hit!.Point.ToName(), _policy.ToName(), _currentTarget, _hit.TaskId, _currentAddr, ok, cause, latencyNs));
        if (_currentTarget == ProbeTargets.ArgvArray) QueueArgvStrings(ok);
        _sim.Schedule(remainingNs, Self, new ReadNext(_hitStep));
    }

    // The strings' addresses come from the array: when it could not be read, neither can they.
    private void QueueArgvStrings(bool arrayRead)
    {
        var argv = _hit!.Execve!.Argv;
        var n = Math.Min(argv.Count, _settings.Probe.MaxArgv);
        if (!arrayRead)
        {
            if (n > 0) _metrics.Tell(new ProbeReadSkipped(ProbeTargets.Argv, n));
            return;
        }
        for (var i = 0; i < n; i++) _reads.Enqueue((ProbeTargets.Argv, argv[i].Addr, argv[i].LengthBytes));
    }

    // sched_process_exec: the old mm is gone; mm->arg_start..arg_end of the new one holds what
    // copy_strings() wrote (present). Stale: the bytes differ from those at sys_enter_execve.
    private void ReadDeferred(TracepointHit hit)
    {
        if (!_deferred.Remove(hit.TaskId, out var args))
        {
            hit.Cpu.Tell(new ProbeProgramDone(hit.TaskId));
            return;
        }
        var argvCount = Math.Min(args.Argv.Count, _settings.Probe.MaxArgv);
        var area = ExecArgArea.Build(-hit.TaskId, args.FilenameText, args.ArgvText);
        long programNs = 0;
        void Read(string target, ulong addr, int len, string? before)
        {
            var walk = ProbeRead.Walk(area.Mm, addr, len);
            var ns = Costs.PteWalkNs * walk.PagesWalked + (walk.Ok ? Costs.ProbeReadNs : Costs.ProbeFixupNs);
            programNs += ns;
            _metrics.Tell(new ProbeReadCompleted(_sim.NowNs, hit.Point.ToName(), _policy.ToName(), target, hit.TaskId, addr, walk.Ok, walk.Cause, ns));
            if (before is not null && walk.Ok) _metrics.Tell(new DeferredReadChecked(area.StringAt(addr) != before));
        }
        Read(ProbeTargets.Filename, area.FilenameAddr, args.Filename.LengthBytes, args.FilenameText);
        Read(ProbeTargets.ArgvArray, area.ArgvArrayAddr, 8 * Math.Min(args.Argv.Count + 1, _settings.Probe.MaxArgv), null);
        for (var i = 0; i < argvCount; i++) Read(ProbeTargets.Argv, area.Argv[i].Addr, area.Argv[i].LengthBytes, args.ArgvText[i]);
        _metrics.Tell(new ProbeProgramTimed(programNs, 0));
        _sim.Schedule(programNs, hit.Cpu, new ProbeProgramDone(hit.TaskId));
    }

    /// <summary>The tracepoint hit being read: execve's (with its arguments) or another syscall's.</summary>
    private sealed record Hit(Tracepoint Point, int TaskId, IActorRef Mm, IActorRef Cpu, IActorRef? MmapSem, ExecveArgs? Execve);

    private sealed record ReadNext(long Step);

    private sealed record TryLock(int ReadId);

    private sealed record HoldDone(int ReadId, bool Ok, FailureCause? Cause);
}
