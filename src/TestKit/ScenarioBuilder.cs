using System.Globalization;
using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Engine;
using ActorKernel.Actors.Machine;
using ActorKernel.Actors.Workloads;
using ActorKernel.Configuration;
using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.TestKit;

/// <summary>
/// Builds a scenario the way the story goes: the kernel and the machine, the processes and
/// what their threads do, the probe and its policy. Anything settable in HOCON is settable
/// here (<see cref="Set"/>), and a scenario can start from a HOCON file of actor-kernel keys.
/// </summary>
public sealed partial class ScenarioBuilder
{
    private const ulong DefaultSeed = 1;
    private readonly ActorSystem _system;
    // Deferred so that a typed option's mistake (a duration that is no whole number of its key's unit) surfaces at Build().
    private readonly List<Func<IEnumerable<(string Key, string Value)>>> _overrides = new();
    private readonly List<ProcessBuilder> _processes = new();
    private string? _hoconFile;
    private ulong? _seed;
    private ProbePolicy _policy = ProbePolicy.NoFault;
    private ProbeReaderFactory? _probeReader;
    private bool _forkExec;
    private bool _otherWorkload;

    public ScenarioBuilder(ActorSystem system)
    {
        _system = system;
    }

    /// <summary>The running test's display name (a [Theory] row's, with its arguments), for the replay command.</summary>
    public string? TestDisplayName { get; init; }

    /// <summary>Start from a HOCON file of actor-kernel keys (an experiment's sweep and policies are the experiment runner's, not a scenario's).</summary>
    public ScenarioBuilder FromHocon(string path)
    {
        _hoconFile = path;
        return this;
    }

    /// <summary>Set any key, as `--set` does: a path under actor-kernel (e.g. "workload.fork-exec.spawn") and its value.</summary>
    public ScenarioBuilder Set(string key, string value) => SetAll(() => [(key, value)]);

    /// <summary>The kernel profile by name: "4.14", "6.8" or "6.18".</summary>
    public ScenarioBuilder Kernel(string profile) => Set("kernel.profile", $"\"{profile}\"");

    /// <summary>The kernel profile.</summary>
    public ScenarioBuilder Kernel(KernelVersion version) => Kernel(version.ProfileName());

    /// <summary>NUMA nodes and CPUs per node.</summary>
    public ScenarioBuilder Machine(int numaNodes, int cpusPerNode) =>
        Set("machine.numa-nodes", numaNodes.ToString(CultureInfo.InvariantCulture))
            .Set("machine.cpus-per-node", cpusPerNode.ToString(CultureInfo.InvariantCulture));

    /// <summary>Automatic NUMA balancing (numa-balancing.enabled): task_numa_work() scans the address spaces of threads that accrue CPU time.</summary>
    public ScenarioBuilder NumaBalancing(bool on = true) => Set("numa-balancing.enabled", on ? "on" : "off");

    /// <summary>The seed (a replay's ACTORKERNEL_SEED=SEED@N overrides it for the test's N-th scenario only: <see cref="Replay"/>).</summary>
    public ScenarioBuilder Seed(ulong seed)
    {
        _seed = seed;
        return this;
    }

    /// <summary>What the built-in probe reads do on a missing PTE.</summary>
    public ScenarioBuilder Policy(ProbePolicy policy)
    {
        _policy = policy;
        return this;
    }

    /// <summary>Run the built-in fork-exec workload (keys under workload.fork-exec), e.g. ForkExec(("spawn", "vfork"), ("execs", "1")).</summary>
    public ScenarioBuilder ForkExec(params (string Key, string Value)[] keys) =>
        ForkExecOn().SetAll(() => keys.Select(k => ($"workload.fork-exec.{k.Key}", k.Value)));

    /// <summary>Run the built-in fork-exec workload with these options.</summary>
    public ScenarioBuilder ForkExec(ForkExecOptions options) => ForkExecOn().SetAll(options.Keys);

    /// <summary>
    /// Run the built-in numa-idle workload (keys under workload.numa-idle) with automatic NUMA
    /// balancing on; the fork-exec workload is then off unless <see cref="ForkExec(ValueTuple{string, string}[])"/> is called.
    /// </summary>
    public ScenarioBuilder NumaIdle(params (string Key, string Value)[] keys) =>
        NumaIdleOn().SetAll(() => keys.Select(k => ($"workload.numa-idle.{k.Key}", k.Value)));

    /// <summary>Run the built-in numa-idle workload with these options and automatic NUMA balancing on.</summary>
    public ScenarioBuilder NumaIdle(NumaIdleOptions options) => NumaIdleOn().SetAll(options.Keys);

    /// <summary>Threads that take the mmap lock for write (keys under workload.mmap-churn), e.g. MmapChurn(("ops-per-s", "100000")).</summary>
    public ScenarioBuilder MmapChurn(params (string Key, string Value)[] keys) =>
        Set("workload.mmap-churn.enabled", "on").SetAll(() => keys.Select(k => ($"workload.mmap-churn.{k.Key}", k.Value)));

    /// <summary>Threads that take the mmap lock for write, with these options.</summary>
    public ScenarioBuilder MmapChurn(MmapChurnOptions options) => Set("workload.mmap-churn.enabled", "on").SetAll(options.Keys);

    /// <summary>A process of the scenario's own (the built-in fork-exec workload is then off unless ForkExec is called).</summary>
    public ScenarioBuilder Process(Action<ProcessBuilder> process)
    {
        var p = new ProcessBuilder();
        process(p);
        _processes.Add(p);
        return this;
    }

    /// <summary>Put your own actor in the machine as each CPU's probe program (see <see cref="ProbeReaderFactory"/>).</summary>
    public ScenarioBuilder ProbeReader(ProbeReaderFactory factory)
    {
        _probeReader = factory;
        return this;
    }

    /// <summary>
    /// Check everything that can be checked before the run and start it, paused at virtual time 0.
    /// A bad key or value, or a policy the kernel profile or an attach point does not offer, throws the
    /// <see cref="ConfigError"/> the CLI would print; a name placed twice or never, a page outside its
    /// region, a write to a read-only mapping, a CPU the machine lacks or a signal nobody raises throws a
    /// <see cref="ScenarioError"/>. Both are one line.
    /// </summary>
    public Scenario Build() => Build(null, null);

    /// <summary>The seed <see cref="Build()"/> starts from (exploration derives its runs' seeds from it).</summary>
    internal ulong BaseSeed => Replay.SeedOverride ?? _seed ?? DefaultSeed;

    /// <summary>Build with this seed (else the replay rules') and these engine choices (exploration).</summary>
    internal Scenario Build(ulong? seedOverride, ScheduleOptions? schedule)
    {
        var scenario = Replay.NextScenario(_system);
        var seed = seedOverride ?? Replay.SeedFor(scenario, _seed, DefaultSeed);
        var overrides = _overrides.SelectMany(o => o()).Select(kv => $"{kv.Key}={kv.Value}").ToList();
        if ((_processes.Count > 0 || _otherWorkload) && !_forkExec) overrides.Insert(0, "workload.fork-exec.enabled=off");
        var settings = SettingsLoader.Load(_hoconFile, overrides);
        CheckProcesses(settings);

        var images = new Dictionary<int, PlacedImage>();
        var signals = new ScenarioSignals();
        var workloads = WorkloadCatalog.For(settings)
            .Concat(_processes.Select(p => (IWorkload)new ScenarioWorkload(p, signals, (id, img) => images[id] = img)))
            .ToArray();
        var spec = new MachineSpec(settings, _policy, workloads, _probeReader);
        if (_policy.Unavailable(spec.PolicyContext) is { } why) throw new ConfigError(why);
        var replay = Replay.Command(seed, scenario, Replay.CallingTest(), TestDisplayName);
        return new Scenario(_system, spec, seed, images, replay, schedule);
    }

    private void CheckProcesses(ActorKernelSettings settings)
    {
        var layout = settings.Image;
        var cpus = settings.Machine.NumaNodes * settings.Machine.CpusPerNode;
        var signals = new ScenarioSignalCheck();
        for (var i = 0; i < _processes.Count; i++)
        {
            var image = ProcessImage.Build(0, layout, new FileObject("prog", layout.ProgFilePages), new FileObject("libc.so.6", layout.LibcFilePages));
            _processes[i].LinkLibraryIfUsed(image, layout);
            _processes[i].Check(new ProcessCheck($"scenario process {i + 1}", image, cpus, signals));
        }
        signals.Check();
    }

    private ScenarioBuilder ForkExecOn()
    {
        _forkExec = true;
        return Set("workload.fork-exec.enabled", "on");
    }

    private ScenarioBuilder NumaIdleOn()
    {
        _otherWorkload = true;
        return NumaBalancing().Set("workload.numa-idle.enabled", "on");
    }

    private ScenarioBuilder SetAll(Func<IEnumerable<(string Key, string Value)>> keys)
    {
        _overrides.Add(keys);
        return this;
    }
}
