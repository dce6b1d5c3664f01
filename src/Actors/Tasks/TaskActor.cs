using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Cpu;
using ActorKernel.Actors.Engine;
using ActorKernel.Actors.Locking;
using ActorKernel.Actors.Machine;
using ActorKernel.Actors.Memory;
using ActorKernel.Actors.Metrics;
using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Tasks;

/// <summary>Who a task is and what it runs on.</summary>
/// <remarks>CpuNode: NUMA node of <paramref name="Cpu"/>: where its faults allocate and hint faults migrate to.</remarks>
/// <remarks>NumaScanner: The mm's NUMA scanner (charged runtime at each tick), or null when NUMA balancing is off.</remarks>
public sealed record TaskBinding(int TaskId, IActorRef Mm, IActorRef MmapSem, IActorRef Cpu, IActorRef? Parent, bool IsVforkChild, bool IsWorkloadMain,
    int CpuNode = 0, IActorRef? NumaScanner = null);

/// <summary>
/// One thread (struct task_struct) interpreting its workload program: user accesses that
/// fault under the mmap_lock, fork/vfork through the machine, execve with its tracepoint
/// and its copy_from_user, waiting for children.
/// </summary>
public sealed partial class TaskActor : UntypedActor
{
    private readonly SimContext _sim;
    private readonly ActorKernelSettings _settings;
    private readonly IActorRef _machine;
    private readonly IActorRef _metrics;
    private readonly IEnumerator<TaskOp> _program;
    private TaskBinding _b;
    private long _step;
    private TaskOp? _current;
    private readonly UserCopies _copies = new();
    private AfterAccesses _afterAccesses;
    private long _afterAccessesDelayNs;
    private int _unreapedExits;
    private int _childrenAlive;
    private bool _waitingForChild;
    private bool _hasMm = true;
    private bool _trylockPending;

    public TaskActor(SimContext sim, ActorKernelSettings settings, TaskBinding binding, IActorRef machine, IActorRef metrics, IEnumerable<TaskOp> program)
    {
        _sim = sim;
        _settings = settings;
        _b = binding;
        _machine = machine;
        _metrics = metrics;
        _program = program.GetEnumerator();
    }

    public static Props Props(SimContext sim, ActorKernelSettings settings, TaskBinding binding, IActorRef machine, IActorRef metrics, IEnumerable<TaskOp> program) =>
        sim.Bind(SimProps.Create(() => new TaskActor(sim, settings, binding, machine, metrics, program)));

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case TaskStart:
                Next();
                break;
            case TaskContinue c when c.Step == _step:
                Next();
                break;
            case AccessStepDone a when a.Step == _step:
                OnAccessStepDone();
                break;
            case ExecLoaded e when e.Step == _step:
                OnExecLoaded();
                break;
            case AccessDone d:
                OnAccessDone(d);
                break;
            case AccessNeedsLock n:
                _trylockPending = n.TrylockFirst;
                _b.MmapSem.Tell(n.TrylockFirst ? new TryAcquireRead(_b.TaskId, Self) : new AcquireRead(_b.TaskId, Self));
                break;
            // 6.18 __vmf_anon_prepare(): mmap_read_trylock(); if it fails, VM_FAULT_RETRY and lock_mmap blocks.
            case TryLockResult r when _trylockPending:
                _trylockPending = false;
                if (r.Acquired) Tell(_copies.LockGranted());
                else _b.MmapSem.Tell(new AcquireRead(_b.TaskId, Self));
                break;
            case LockGranted when _current is HoldMmapLockOp hold && _copies.Pending == 0:
                _sim.Schedule(hold.HoldNs, Self, new LockHoldDone(_step, hold.Write));
                break;
            case LockHoldDone h when h.Step == _step:
                _b.MmapSem.Tell(h.Write ? new ReleaseWrite(_b.TaskId) : new ReleaseRead(_b.TaskId));
                ContinueAfter(0);
                break;
            case LockGranted { Write: true } g:
                OnWriteLockGranted(g);
                break;
            case LockGranted:
                Tell(_copies.LockGranted());
                break;
            case TracepointReturn when _current is SyscallOp sc:
                var kernelCopies = sc.Args.KernelCopies;
                for (var i = 0; i < kernelCopies.Count; i++) _copies.Add(KernelCopy(kernelCopies[i]));
                RunAccesses(AfterAccesses.Continue, _settings.Costs.SyscallEntryNs);
                break;
            case TracepointReturn { Point: Tracepoint.SchedProcessExec }:
                ContinueAfter(0);
                break;
            case TracepointReturn:
                OnExecProbesDone();
                break;
            case RunDone r when r.TaskId == _b.TaskId && _current is ComputeOp:
                ContinueAfter(0);
                break;
            case TaskMoved m when _current is MoveToCpuOp:
                _b = _b with { Cpu = m.Cpu, CpuNode = m.Node };
                ContinueAfter(0);
                break;
            case SpawnReturned:
                _childrenAlive++;
                if (_current is SpawnOp { Kind: SpawnKind.Fork }) ContinueAfter(0);
                break;
            case VforkDone:
                ContinueAfter(0);
                break;
            case ChildExited:
                _childrenAlive--;
                _unreapedExits++;
                if (_waitingForChild) Reap();
                break;
            default:
                if (!OnMmapWriteMessage(message)) _sim.Unexpected(Self, message);
                break;
        }
    }

    private void Next()
    {
        if (!_program.MoveNext())
        {
            Exit();
            return;
        }
        _current = _program.Current;
        ProvenanceLog.Current?.TaskOp(_b.TaskId, _current.GetType().Name);
        switch (_current)
        {
            case TouchOp t:
                _copies.Add(new UserCopy(t.Addr, t.LengthBytes, t.Kind, UserMode: true));
                RunAccesses(AfterAccesses.Continue, 0);
                break;
            case KernelReadOp k:
                // No syscall entry cost of its own: the model charges glibc's posix_spawn(), whose read this is, as one spawn.
                _copies.Add(new UserCopy(k.Addr, k.LengthBytes, AccessKind.Read));
                RunAccesses(AfterAccesses.Continue, 0);
                break;
            case AdviseOp a:
                _b.Mm.Tell(new AdvisePageCache(a.Addr, a.Advice));
                ContinueAfter(_settings.Costs.SyscallEntryNs);
                break;
            case SpawnOp s:
                _machine.Tell(new SpawnRequest(_b, Self, s.Kind, s.ChildProgram));
                break;
            case ExecOp e:
                _sim.Schedule(_settings.Costs.SyscallEntryNs, _b.Cpu, new TracepointEnter(Tracepoint.SysEnterExecve, e.Args.ReadPlan(_settings.Probe.MaxArgv), _b.TaskId, _b.Mm, Self, _b.MmapSem));
                break;
            case WaitChildOp:
                // kernel/exit.c do_wait(): with no child at all, wait4() returns -ECHILD at once.
                if (_unreapedExits == 0 && _childrenAlive <= 0)
                {
                    ContinueAfter(_settings.Costs.SyscallEntryNs);
                    break;
                }
                _waitingForChild = true;
                if (_unreapedExits > 0) Reap();
                break;
            case SleepOp s:
                ContinueAfter(s.DurationNs);
                break;
            case BlockForeverOp:
                break;
            case HoldMmapLockOp h:
                _b.MmapSem.Tell(h.Write ? new AcquireWrite(_b.TaskId, Self) : new AcquireRead(_b.TaskId, Self));
                break;
            case ComputeOp c:
                _b.Cpu.Tell(new RunRequest(_b.TaskId, Self, c.DurationNs, _b.NumaScanner));
                break;
            case SyscallOp sc:
                _sim.Schedule(_settings.Costs.SyscallEntryNs, _b.Cpu, new TracepointEnter(sc.Point, sc.Args.ReadPlan(), _b.TaskId, _b.Mm, Self, _b.MmapSem));
                break;
            case MoveToCpuOp m:
                _machine.Tell(new MoveTaskRequest(_b.TaskId, m.CpuIndex, Self));
                break;
            case MmapWriteOp w:
                BeginMmapWrite(w);
                break;
            default:
                throw new InvalidOperationException($"task {_b.TaskId}: unknown op {_current}");
        }
    }

    private void ContinueAfter(long delayNs) => _sim.Schedule(delayNs, Self, new TaskContinue(++_step));

    private void Reap()
    {
        _unreapedExits--;
        _waitingForChild = false;
        ContinueAfter(_settings.Costs.SyscallEntryNs);
    }

    // A syscall's copy of a user pointer after its tracepoint: getname() of a path reads it a word at a time
    // (StrncpyFromUser), copy_from_user() of a buffer exactly its bytes.
    private static UserCopy KernelCopy(SyscallPointer p) =>
        new(p.Addr, p.IsString ? StrncpyFromUser.BytesRead(p.LengthBytes) : p.LengthBytes, AccessKind.Read);

    // The kernel's execve after the sys_enter tracepoint: getname() copies the filename (word at a time),
    // copy_strings() the argv array and every argv string (strnlen_user() reads aligned words, which stay in
    // the string's pages; copy_from_user() its bytes), each a copy that may fault.
    private void OnExecProbesDone()
    {
        var args = ((ExecOp)_current!).Args;
        _copies.Add(new UserCopy(args.Filename.Addr, StrncpyFromUser.BytesRead(args.Filename.LengthBytes), AccessKind.Read));
        _copies.Add(new UserCopy(args.ArgvAddr, args.ArgvArrayBytes, AccessKind.Read));
        for (var i = 0; i < args.Argv.Count; i++) _copies.Add(new UserCopy(args.Argv[i].Addr, args.Argv[i].LengthBytes, AccessKind.Read));
        RunAccesses(AfterAccesses.ExecLoad, _settings.Costs.ExecNs);
    }

    // exec_mmap(): the old mm is dropped (mmput) and a vfork parent is woken (mm_release).
    // The new program's own address space is not modelled: it only runs until it exits.
    private void OnExecLoaded()
    {
        _metrics.Tell(new ExecFinished(_b.TaskId));
        DropMm();
        if (_b.IsVforkChild) _b.Parent?.Tell(new VforkDone(_b.TaskId));
        _b = _b with { IsVforkChild = false };
        // fs/exec.c exec_binprm(): trace_sched_process_exec() once the new image is in; the old mm is gone.
        _b.Cpu.Tell(new TracepointEnter(Tracepoint.SchedProcessExec, ProbeReadPlan.None, _b.TaskId, ActorRefs.Nobody, Self));
    }

    // What follows a step's user accesses, once they are all done (an enum and a delay, not a
    // closure: a task makes an access per touch and per syscall, and each closure was an allocation).
    private enum AfterAccesses
    {
        None,
        Continue,
        ExecLoad,
    }

    /// <summary>Starts the accesses queued in <see cref="_copies"/>; <paramref name="then"/> after <paramref name="delayNs"/> once all are done.</summary>
    private void RunAccesses(AfterAccesses then, long delayNs)
    {
        _afterAccesses = then;
        _afterAccessesDelayNs = delayNs;
        IssueNextAccess();
    }

    private void IssueNextAccess()
    {
        if (_copies.Current is { } next)
        {
            Tell(next);
            return;
        }
        var then = _afterAccesses;
        _afterAccesses = AfterAccesses.None;
        switch (then)
        {
            case AfterAccesses.Continue:
                ContinueAfter(_afterAccessesDelayNs);
                break;
            case AfterAccesses.ExecLoad:
                _sim.Schedule(_afterAccessesDelayNs, Self, new ExecLoaded(_step));
                break;
            default:
                throw new ModelInvariantException($"task {_b.TaskId}: user accesses done with nothing to continue");
        }
    }

    private void Tell(UserCopy c) => _b.Mm.Tell(new UserAccess(c.Addr, c.LengthBytes, c.Kind, _copies.LockHeld, Self, _b.TaskId, _b.CpuNode, c.UserMode));

    // The access and its faults take d.CostNs of virtual time, with the lock held across them.
    private void OnAccessDone(AccessDone d)
    {
        _copies.AccessDone();
        _sim.Schedule(d.CostNs, Self, new AccessStepDone(_step));
    }

    private void OnAccessStepDone()
    {
        if (_copies.StepDone()) _b.MmapSem.Tell(new ReleaseRead(_b.TaskId));
        IssueNextAccess();
    }

    private sealed record AccessStepDone(long Step);

    private sealed record ExecLoaded(long Step);

    private sealed record LockHoldDone(long Step, bool Write);

    private void DropMm()
    {
        if (!_hasMm) return;
        _hasMm = false;
        _b.Mm.Tell(new MmPut());
    }

    private void Exit()
    {
        ProvenanceLog.Current?.TaskOp(_b.TaskId, "exit");
        DropMm();
        if (_b.IsVforkChild) _b.Parent?.Tell(new VforkDone(_b.TaskId));
        _b.Parent?.Tell(new ChildExited(_b.TaskId));
        _machine.Tell(new TaskExited(_b.TaskId, _b.IsWorkloadMain));
        Context.Stop(Self);
    }
}
