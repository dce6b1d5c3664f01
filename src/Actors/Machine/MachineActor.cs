using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Cpu;
using ActorKernel.Actors.Engine;
using ActorKernel.Actors.Fork;
using ActorKernel.Actors.Locking;
using ActorKernel.Actors.Memory;
using ActorKernel.Actors.Metrics;
using ActorKernel.Actors.Numa;
using ActorKernel.Actors.Probe;
using ActorKernel.Actors.Tasks;
using ActorKernel.Actors.Workloads;
using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Machine;

/// <summary>What one run simulates: the settings, the probe policy, the workloads.</summary>
/// <param name="Settings">The bound configuration of the run.</param>
/// <param name="Policy">What probe reads do on a missing PTE.</param>
/// <param name="Workloads">The processes the run starts with.</param>
/// <param name="ProbeReader">Builds each CPU's probe program; null for the built-in <see cref="ProbeReaderActor"/>. A custom one receives <see cref="TracepointHit"/> and must answer the CPU with <see cref="ProbeProgramDone"/>.</param>
/// <param name="PageTablesAtNs">When set, every live mm's page table is captured at that virtual time (the pagemap command).</param>
public sealed record MachineSpec(ActorKernelSettings Settings, ProbePolicy Policy, IReadOnlyList<IWorkload> Workloads, ProbeReaderFactory? ProbeReader = null, long? PageTablesAtNs = null)
{
    /// <summary>What this run offers the policy: the kernel profile and the workloads' attach points.</summary>
    public PolicyContext PolicyContext => WorkloadCatalog.PolicyContext(Settings, Workloads);

    /// <summary>
    /// Where the probe program is attached: every workload's attach points, each once, and for a
    /// policy that reads later, their later points (sched_process_exec for execve: kernel-model.md §4).
    /// </summary>
    public IReadOnlyList<Tracepoint> AttachPoints
    {
        get
        {
            var declared = Workloads.SelectMany(w => w.Probes.AttachPoints).ToArray();
            var points = declared.Select(a => a.Point);
            if (Policy.Reads == ProbeReadPoint.Deferred)
                points = points.Concat(declared.Where(a => a.DeferredPoint is not null).Select(a => a.DeferredPoint!.Value));
            return points.Distinct().ToArray();
        }
    }
}

/// <summary>Props of a probe program for one CPU: (run, settings, policy, metrics actor, cpu index).</summary>
public delegate Props ProbeReaderFactory(SimContext sim, ActorKernelSettings settings, ProbePolicy policy, IActorRef metrics, int cpu);

/// <summary>
/// The run's root: builds the topology (NUMA nodes and their CPUs), the metrics, a probe
/// program per CPU, then starts the workloads; creates processes, forks and vfork children
/// on request; completes the run when every main task has exited. A failure anywhere
/// below fails the run (see <see cref="SimRootActor"/>).
/// </summary>
public sealed class MachineActor : SimRootActor, IWorkloadHost
{
    private readonly MachineSpec _spec;
    private readonly List<IActorRef> _cpus = new();
    private readonly SortedSet<int> _liveMains = new();
    // Lookup only (never iterated): the NUMA scanner of each live mm actor, for threads and vfork children sharing it.
    private readonly Dictionary<IActorRef, IActorRef> _scannerOfMm = new();
    // Lookup only: the mmap_lock of each live mm, stopped with it.
    private readonly Dictionary<int, IActorRef> _semOfMm = new();
    private readonly SortedDictionary<int, IActorRef> _mms = new();
    private readonly SortedDictionary<int, PageTableSnapshot> _pageTables = new();
    private IActorRef _metrics = ActorRefs.Nobody;
    // The run's page frames under reclaim, and each node's kswapd: only in runs with the memory-pressure workload.
    private MemoryModel? _memory;
    private readonly List<IActorRef> _kswapds = new();
    private int _nodesReady;
    private int _nextMmId = 1, _nextTaskId = 1, _nextCpu;
    private long _forks;
    private bool _finishing;

    public MachineActor(SimContext sim, MachineSpec spec) : base(sim)
    {
        _spec = spec;
        if (ProvenanceLog.Current is { } log) ProvenanceBinding.Bind(log, sim);
    }

    public static Props Props(SimContext sim, MachineSpec spec) =>
        sim.Bind(SimProps.Create(() => new MachineActor(sim, spec)));

    public ActorKernelSettings Settings => _spec.Settings;

    SimContext IWorkloadHost.Sim => Sim;

    public MemoryModel? Memory => _memory;

    protected override void PreStart()
    {
        base.PreStart();
        // The experiment plan refuses these before anything runs; a spec built by hand (tests, TestKit) fails the run.
        if (_spec.Policy.Unavailable(_spec.PolicyContext) is { } why)
        {
            Sim.Fail(why);
            return;
        }
        _metrics = Context.ActorOf(MetricsActor.Props(Sim, Model.SimTime.MsToNs(Settings.Metrics.TimelineBucketMs)), "metrics");
        var m = Settings.Machine;
        if (Settings.Workload.MemoryPressure.Enabled) _memory = new MemoryModel(MemoryParamsOf(Settings));
        for (var node = 0; node < m.NumaNodes; node++)
            Context.ActorOf(NumaNodeActor.Props(Sim, node, node * m.CpusPerNode, m.CpusPerNode, Settings.Sched), $"node{node}");
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
            case MoveTaskRequest mv:
            {
                var i = mv.CpuIndex % _cpus.Count;
                mv.ReplyTo.Tell(new TaskMoved(_cpus[i], i / Settings.Machine.CpusPerNode));
                break;
            }
            case TaskExited t:
                if (t.IsWorkloadMain && _liveMains.Remove(t.TaskId) && _liveMains.Count == 0) Finish();
                break;
            case MmReleased r:
                OnMmReleased(r);
                break;
            case ToMm to:
                Context.Child($"mm{to.MmId}").Tell(to.Message);
                break;
            case RunMetrics metrics:
                Sim.Complete(new RunResult(metrics) { PageTables = _pageTables.Values.ToArray() });
                break;
            case CapturePageTables:
                foreach (var mm in _mms.Values) mm.Tell(new DescribePageTable(Self));
                break;
            case PageTableSnapshot snap:
                _pageTables[snap.MmId] = snap;
                break;
            case RunIdle:
                // The root's PreStart runs on the guardian's thread: the driver can find nothing
                // pending before the nodes' creation reaches it. Not stuck while the topology is being built.
                if (!_finishing && _nodesReady == Settings.Machine.NumaNodes)
                    Sim.Fail($"the model is stuck: tasks {string.Join(", ", _liveMains)} have not exited and nothing is pending (a lock never released, or a wait never answered)");
                break;
            default:
                Sim.Unexpected(Self, message);
                break;
        }
    }

    private void OnNodeReady(NodeReady r)
    {
        _cpus.AddRange(r.Cpus);
        if (++_nodesReady < Settings.Machine.NumaNodes) return;
        // NodeReady arrives in node order only by chance of the work queue: sort by name so CPU numbering is stable.
        _cpus.Sort((a, b) => CpuIndex(a).CompareTo(CpuIndex(b)));
        var attachPoints = _spec.AttachPoints;
        for (var i = 0; i < _cpus.Count; i++)
        {
            var props = _spec.ProbeReader is { } custom
                ? Sim.Bind(custom(Sim, Settings, _spec.Policy, _metrics, i))
                : ProbeReaderActor.Props(Sim, Settings, _spec.Policy, _metrics, i);
            var probe = Context.ActorOf(props, $"probe-cpu{i}");
            foreach (var point in attachPoints) _cpus[i].Tell(new AttachProbe(point, probe));
        }
        if (_memory is not null)
            for (var node = 0; node < Settings.Machine.NumaNodes; node++)
                _kswapds.Add(Context.ActorOf(KswapdActor.Props(Sim, node, _memory, _cpus[node * Settings.Machine.CpusPerNode], Settings.Costs.ReclaimNsPerPage, _metrics), $"kswapd{node}"));
        if (_spec.PageTablesAtNs is { } at) Sim.Schedule(Math.Max(0, at - Sim.NowNs), Self, CapturePageTables.Instance);
        foreach (var w in _spec.Workloads) w.Start(this);
        if (_liveMains.Count == 0) Finish();
    }

    private static int CpuIndex(IActorRef cpu) => int.Parse(cpu.Path.Name.AsSpan(3));

    public int NextMmId() => _nextMmId++;

    public ProcessRefs CreateProcess(AddressSpace mm, IReadOnlyList<(IEnumerable<TaskOp> Program, bool Main)> threads)
    {
        mm.MmUsers = threads.Count;
        var (mmRef, semRef) = CreateMm(mm, threads.Count);
        var refs = new List<IActorRef>(threads.Count);
        foreach (var (program, main) in threads)
            refs.Add(CreateTask(mmRef, semRef, parent: null, vforkChild: false, main, program));
        return new ProcessRefs(mm.Id, mmRef, semRef, refs);
    }

    private (IActorRef Mm, IActorRef Sem) CreateMm(AddressSpace mm, int threads = 1, bool forkChild = false)
    {
        var mmRef = Context.ActorOf(MmActor.Props(Sim, mm, Settings, _metrics), $"mm{mm.Id}");
        if (_memory is not null)
        {
            // A workload may have registered it already, in a cgroup; a fork child shares its parent's frames.
            if (!_memory.IsRegistered(mm)) _memory.RegisterMm(mm, null, chargeExisting: !forkChild);
            mmRef.Tell(new AttachMemory(_memory, _kswapds));
        }
        var semRef = Context.ActorOf(MmapSemActor.Props(Sim, mm.Id, Settings.Mm.RwsemHandoffWaitNs, _metrics, Settings.Kernel.Profile.RwsemWriterSpinsOnReaders), $"mmap-sem{mm.Id}");
        _mms[mm.Id] = mmRef;
        _semOfMm.Add(mm.Id, semRef);
        if (Settings.NumaBalancing.Enabled)
        {
            var scanner = Context.ActorOf(NumaScannerActor.Props(Sim, Settings, mm.Id, mmRef, semRef, _metrics, threads), $"numa-scanner{mm.Id}");
            mmRef.Tell(new AttachNumaScanner(scanner));
            _scannerOfMm.Add(mmRef, scanner);
        }
        return (mmRef, semRef);
    }

    // exit_mmap() freed the mm: its mmap_lock and NUMA scanner serve nothing any more, so a long run
    // keeps only its live processes (nothing but its metrics is left of a finished one).
    private void OnMmReleased(MmReleased r)
    {
        if (!_mms.TryGetValue(r.MmId, out var mmRef)) return;
        _mms.Remove(r.MmId);
        Context.Stop(_semOfMm[r.MmId]);
        _semOfMm.Remove(r.MmId);
        if (_scannerOfMm.Remove(mmRef, out var scanner)) Context.Stop(scanner);
    }

    private IActorRef CreateTask(IActorRef mm, IActorRef sem, IActorRef? parent, bool vforkChild, bool main, IEnumerable<TaskOp> program)
    {
        var id = _nextTaskId++;
        var cpuIndex = _nextCpu++ % _cpus.Count;
        var binding = new TaskBinding(id, mm, sem, _cpus[cpuIndex], parent, vforkChild, main,
            cpuIndex / Settings.Machine.CpusPerNode, _scannerOfMm.GetValueOrDefault(mm));
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
        Context.ActorOf(ForkHandlerActor.Props(Sim, Settings.Costs, s, LockOwners.ForkHandler(fork), NextMmId(), _metrics), $"fork{fork}");
    }

    private void OnForkCopied(ForkCopied c)
    {
        var (mmRef, semRef) = CreateMm(c.ChildMm, forkChild: true);
        var child = CreateTask(mmRef, semRef, c.Request.ParentTask, vforkChild: false, main: false, c.Request.ChildProgram());
        c.Request.ParentTask.Tell(new SpawnReturned(_nextTaskId - 1, child));
    }

    private void Finish()
    {
        if (_finishing) return;
        _finishing = true;
        _metrics.Tell(new MetricsSnapshot(Self));
    }

    private static MemoryParams MemoryParamsOf(ActorKernelSettings s) => new()
    {
        Nodes = s.Machine.NumaNodes,
        PagesPerNode = s.Memory.MemoryPerNodeMb << (20 - Model.Pages.Shift),
        WatermarkScaleFactor = s.Memory.WatermarkScaleFactor,
        SwapPages = s.Memory.SwapMb << (20 - Model.Pages.Shift),
        Swappiness = s.Memory.Swappiness,
    };

    private sealed class CapturePageTables
    {
        public static readonly CapturePageTables Instance = new();
    }
}
