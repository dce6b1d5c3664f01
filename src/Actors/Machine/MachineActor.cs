using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Cpu;
using ActorKernel.Actors.Engine;
using ActorKernel.Actors.Fork;
using ActorKernel.Actors.Locking;
using ActorKernel.Actors.Memory;
using ActorKernel.Actors.Metrics;
using ActorKernel.Actors.Probe;
using ActorKernel.Actors.Tasks;
using ActorKernel.Actors.Workloads;
using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Machine;

/// <summary>What one run simulates: the settings, the probe policy, the workloads.</summary>
public sealed record MachineSpec(ActorKernelSettings Settings, ProbePolicy Policy, IReadOnlyList<IWorkload> Workloads, bool PublishEvents = false);

/// <summary>
/// The run's root: builds the topology (NUMA nodes and their CPUs), the metrics, a probe
/// program per CPU, then starts the workloads; creates processes, forks and vfork children
/// on request; completes the run when every main task has exited. A failure anywhere
/// below fails the run (see <see cref="SimRootActor"/>).
/// </summary>
public sealed class MachineActor : SimRootActor, IWorkloadHost
{
    private const long ForkOwnerBase = 1L << 40;

    private readonly MachineSpec _spec;
    private readonly List<IActorRef> _cpus = new();
    private readonly SortedSet<int> _liveMains = new();
    private IActorRef _metrics = ActorRefs.Nobody;
    private int _nodesReady;
    private int _nextMmId = 1, _nextTaskId = 1, _nextCpu;
    private long _forks;
    private bool _finishing;

    public MachineActor(SimContext sim, MachineSpec spec) : base(sim)
    {
        _spec = spec;
    }

    public static Props Props(SimContext sim, MachineSpec spec) =>
        sim.Bind(Akka.Actor.Props.Create(() => new MachineActor(sim, spec)));

    public ActorKernelSettings Settings => _spec.Settings;

    SimContext IWorkloadHost.Sim => Sim;

    protected override void PreStart()
    {
        base.PreStart();
        _metrics = Context.ActorOf(MetricsActor.Props(Sim, _spec.PublishEvents), "metrics");
        var m = Settings.Machine;
        for (var node = 0; node < m.NumaNodes; node++)
            Context.ActorOf(NumaNodeActor.Props(Sim, node, node * m.CpusPerNode, m.CpusPerNode), $"node{node}");
    }

    protected override void OnRootMessage(object message)
    {
        switch (message)
        {
            case NodeReady r:
                OnNodeReady(r);
                break;
            case SpawnRequest s:
                Spawn(s);
                break;
            case ForkCopied c:
                OnForkCopied(c);
                break;
            case TaskExited t:
                if (t.IsWorkloadMain && _liveMains.Remove(t.TaskId) && _liveMains.Count == 0) Finish();
                break;
            case RunMetrics metrics:
                Sim.Complete(new RunResult(metrics));
                break;
            case RunIdle:
                if (!_finishing)
                    Sim.Fail($"the model is stuck: tasks {string.Join(", ", _liveMains)} have not exited and nothing is pending (a lock never released, or a wait never answered)");
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void OnNodeReady(NodeReady r)
    {
        _cpus.AddRange(r.Cpus);
        if (++_nodesReady < Settings.Machine.NumaNodes) return;
        // NodeReady arrives in node order only by chance of the work queue: sort by name so CPU numbering is stable.
        _cpus.Sort((a, b) => CpuIndex(a).CompareTo(CpuIndex(b)));
        for (var i = 0; i < _cpus.Count; i++)
        {
            var probe = Context.ActorOf(ProbeReaderActor.Props(Sim, Settings, _spec.Policy, _metrics, i), $"probe-cpu{i}");
            _cpus[i].Tell(new AttachProbe(Tracepoint.SysEnterExecve, probe));
            // deferred reads again where execve has installed the new mm (kernel-model.md §4, what tracers do today).
            if (_spec.Policy == ProbePolicy.Deferred) _cpus[i].Tell(new AttachProbe(Tracepoint.SchedProcessExec, probe));
        }
        foreach (var w in _spec.Workloads) w.Start(this);
        if (_liveMains.Count == 0) Finish();
    }

    private static int CpuIndex(IActorRef cpu) => int.Parse(cpu.Path.Name.AsSpan(3));

    public int NextMmId() => _nextMmId++;

    public ProcessRefs CreateProcess(AddressSpace mm, IReadOnlyList<(IEnumerable<TaskOp> Program, bool Main)> threads)
    {
        mm.MmUsers = threads.Count;
        var (mmRef, semRef) = CreateMm(mm);
        var refs = new List<IActorRef>(threads.Count);
        foreach (var (program, main) in threads)
            refs.Add(CreateTask(mmRef, semRef, parent: null, vforkChild: false, main, program));
        return new ProcessRefs(mm.Id, mmRef, semRef, refs);
    }

    private (IActorRef Mm, IActorRef Sem) CreateMm(AddressSpace mm)
    {
        var mmRef = Context.ActorOf(MmActor.Props(Sim, mm, Settings, _metrics), $"mm{mm.Id}");
        var semRef = Context.ActorOf(MmapSemActor.Props(Sim, Settings.Mm.RwsemHandoffWaitNs, _metrics), $"mmap-sem{mm.Id}");
        return (mmRef, semRef);
    }

    private IActorRef CreateTask(IActorRef mm, IActorRef sem, IActorRef? parent, bool vforkChild, bool main, IEnumerable<TaskOp> program)
    {
        var id = _nextTaskId++;
        var cpu = _cpus[_nextCpu++ % _cpus.Count];
        var binding = new TaskBinding(id, mm, sem, cpu, parent, vforkChild, main);
        var task = Context.ActorOf(TaskActor.Props(Sim, Settings, binding, Self, _metrics, program), $"task{id}");
        if (main) _liveMains.Add(id);
        task.Tell(new TaskStart());
        return task;
    }

    private void Spawn(SpawnRequest s)
    {
        if (s.Kind == SpawnKind.Vfork)
        {
            // CLONE_VM: the child runs on the parent's mm; the parent waits for VforkDone.
            s.Parent.Mm.Tell(new MmGet());
            var child = CreateTask(s.Parent.Mm, s.Parent.MmapSem, s.ParentTask, vforkChild: true, main: false, s.ChildProgram());
            s.ParentTask.Tell(new SpawnReturned(_nextTaskId - 1, child));
            return;
        }
        var fork = ++_forks;
        Context.ActorOf(ForkHandlerActor.Props(Sim, Settings.Costs, s, ForkOwnerBase + fork, NextMmId(), _metrics), $"fork{fork}");
    }

    private void OnForkCopied(ForkCopied c)
    {
        var (mmRef, semRef) = CreateMm(c.ChildMm);
        var child = CreateTask(mmRef, semRef, c.Request.ParentTask, vforkChild: false, main: false, c.Request.ChildProgram());
        c.Request.ParentTask.Tell(new SpawnReturned(_nextTaskId - 1, child));
    }

    private void Finish()
    {
        if (_finishing) return;
        _finishing = true;
        _metrics.Tell(new MetricsSnapshot(Self));
    }
}
