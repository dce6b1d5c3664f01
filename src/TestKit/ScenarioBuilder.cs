using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Machine;
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
    private readonly ActorSystem _system;
    private readonly List<string> _overrides = new();
    private readonly List<ProcessBuilder> _processes = new();
    private string? _hoconFile;
    private ulong _seed = 1;
    private ProbePolicy _policy = ProbePolicy.NoFault;
    private ProbeReaderFactory? _probeReader;
    private bool _forkExec;
    private bool _otherWorkload;

    public ScenarioBuilder(ActorSystem system)
    {
        _system = system;
    }

    /// <summary>Start from a HOCON file of actor-kernel keys (an experiment's sweep and policies are the experiment runner's, not a scenario's).</summary>
    public ScenarioBuilder FromHocon(string path)
    {
        _hoconFile = path;
        return this;
    }

    /// <summary>Set any key, as `--set` does: a path under actor-kernel (e.g. "workload.fork-exec.spawn") and its value.</summary>
    public ScenarioBuilder Set(string key, string value)
    {
        _overrides.Add($"{key}={value}");
        return this;
    }

    /// <summary>The kernel profile: "4.14", "6.8" or "6.18".</summary>
    public ScenarioBuilder Kernel(string profile) => Set("kernel.profile", $"\"{profile}\"");

    /// <summary>NUMA nodes and CPUs per node.</summary>
    public ScenarioBuilder Machine(int numaNodes, int cpusPerNode) =>
        Set("machine.numa-nodes", numaNodes.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Set("machine.cpus-per-node", cpusPerNode.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The seed (overridden by the ACTORKERNEL_SEED environment variable, for replays).</summary>
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
    public ScenarioBuilder ForkExec(params (string Key, string Value)[] keys)
    {
        _forkExec = true;
        Set("workload.fork-exec.enabled", "on");
        foreach (var (k, v) in keys) Set($"workload.fork-exec.{k}", v);
        return this;
    }

    /// <summary>
    /// Run the built-in numa-idle workload (keys under workload.numa-idle) with automatic NUMA
    /// balancing on; the fork-exec workload is then off unless <see cref="ForkExec"/> is called.
    /// </summary>
    public ScenarioBuilder NumaIdle(params (string Key, string Value)[] keys)
    {
        _otherWorkload = true;
        Set("numa-balancing.enabled", "on");
        Set("workload.numa-idle.enabled", "on");
        foreach (var (k, v) in keys) Set($"workload.numa-idle.{k}", v);
        return this;
    }

    /// <summary>Threads that take the mmap lock for write (keys under workload.mmap-churn), e.g. MmapChurn(("ops-per-s", "100000")).</summary>
    public ScenarioBuilder MmapChurn(params (string Key, string Value)[] keys)
    {
        Set("workload.mmap-churn.enabled", "on");
        foreach (var (k, v) in keys) Set($"workload.mmap-churn.{k}", v);
        return this;
    }

    /// <summary>A process of the scenario's own (the built-in fork-exec workload is then off unless <see cref="ForkExec"/> is called).</summary>
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

    /// <summary>Bind the configuration (a <see cref="ConfigError"/> names a bad key) and start the run, paused at virtual time 0.</summary>
    public Scenario Build()
    {
        var overrides = new List<string>(_overrides);
        if ((_processes.Count > 0 || _otherWorkload) && !_forkExec) overrides.Insert(0, "workload.fork-exec.enabled=off");
        var settings = SettingsLoader.Load(_hoconFile, overrides);
        return new Scenario(_system, settings, Replay.SeedOverride ?? _seed, _policy, _processes, _probeReader, Replay.CallingTest());
    }
}
