using System.Globalization;
using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Engine;
using ActorKernel.Actors.Machine;
using ActorKernel.Actors.Memory;
using ActorKernel.Actors.Metrics;
using ActorKernel.Actors.Workloads;
using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.TestKit;

/// <summary>
/// A running scenario, driven in virtual time by the test's thread. Every observation the
/// run publishes (probe reads, faults, lock changes, fork steps) is kept in order and also
/// goes to the actor system's event stream, where Akka.TestKit probes can subscribe.
/// A failed expectation says the seed and the command that replays it.
/// </summary>
public sealed class Scenario : IDisposable
{
    private static int _lanes;
    private readonly SimRun _run;
    private readonly List<object> _observed = new();
    private readonly Dictionary<int, PlacedImage> _images = new();
    private int _readCursor;
    private RunMetrics? _metrics;

    internal Scenario(ActorSystem system, ActorKernelSettings settings, ulong seed, ProbePolicy policy,
        IReadOnlyList<ProcessBuilder> processes, ProbeReaderFactory? probeReader, string? test, ScheduleOptions? schedule = null)
    {
        Settings = settings;
        Seed = seed;
        ReplayCommand = Replay.Command(seed, test);
        var workloads = WorkloadCatalog.For(settings)
            .Concat(processes.Select(p => (IWorkload)new ScenarioWorkload(p, (id, img) => _images[id] = img)))
            .ToArray();
        var spec = new MachineSpec(settings, policy, workloads, probeReader);
        var lane = new SimLane(system, 1000 + Interlocked.Increment(ref _lanes));
        _run = MachineRun.Start(lane, spec, seed, system.EventStream, schedule);
        _run.Context.Observer = _observed.Add;
    }

    public ActorKernelSettings Settings { get; }

    public ulong Seed { get; }

    /// <summary>A one-line command that reruns this scenario's test with its seed.</summary>
    public string ReplayCommand { get; }

    /// <summary>Virtual time now, in nanoseconds.</summary>
    public long NowNs => _run.Context.NowNs;

    /// <summary>Everything observed so far, in order.</summary>
    public IReadOnlyList<object> Observations => _observed;

    /// <summary>Probe reads observed so far, in order.</summary>
    public IReadOnlyList<ProbeReadCompleted> ProbeReads => _observed.OfType<ProbeReadCompleted>().ToArray();

    /// <summary>The run's root (the machine), to send messages into the run with <see cref="Send"/>.</summary>
    public IActorRef Machine => _run.Root;

    /// <summary>The image of a process the scenario built, by mm id (the first process is mm 1).</summary>
    public PlacedImage Image(int mmId) => _images.TryGetValue(mmId, out var i) ? i : throw Fail($"no scenario process with mm id {mmId} (yet)");

    /// <summary>Deliver events until <paramref name="condition"/> holds; false if the run ended first.</summary>
    public bool RunUntil(Func<bool> condition) => _run.RunUntil(condition);

    /// <summary>Deliver events until an observation of type <typeparamref name="T"/> matching <paramref name="match"/> is published; returns it. The run is paused right after it.</summary>
    public T RunUntil<T>(Func<T, bool>? match = null) where T : class
    {
        var from = _observed.Count;
        T? found = null;
        _run.RunUntil(() =>
        {
            for (; from < _observed.Count && found is null; from++)
                if (_observed[from] is T t && (match is null || match(t))) found = t;
            return found is not null;
        });
        return found ?? throw Fail($"the run ended at {Ms(NowNs)} without a matching {typeof(T).Name}");
    }

    /// <summary>Deliver every event due up to <paramref name="timeNs"/>.</summary>
    public Scenario RunUntilTime(long timeNs)
    {
        _run.RunUntilTime(timeNs);
        return this;
    }

    /// <summary>Advance virtual time by <paramref name="durationNs"/>.</summary>
    public Scenario Advance(long durationNs)
    {
        _run.Advance(durationNs);
        return this;
    }

    /// <summary>Send a message into the run (processed before time advances). Never send from another thread or a TestProbe.</summary>
    public void Send(IActorRef target, object message)
    {
        target.Tell(message, ActorRefs.NoSender);
        _run.Drain();
    }

    /// <summary>The page table of address space <paramref name="mmId"/> now: each page's PTE state and what /proc/pid/pagemap would say.</summary>
    public IReadOnlyList<PageTableRow> PageTable(int mmId)
    {
        IReadOnlyList<PageTableRow>? rows = null;
        Send(_run.Root, new ToMm(mmId, new InspectPageTable(r => rows = r)));
        return rows ?? throw Fail($"address space {mmId} does not exist at {Ms(NowNs)} (exited, or not created yet)");
    }

    /// <summary>The PTE state of the page holding <paramref name="addr"/> in address space <paramref name="mmId"/>.</summary>
    public PteState PteAt(int mmId, ulong addr) =>
        PageTable(mmId).FirstOrDefault(r => r.Vpn == Pages.Vpn(addr)) is { VmaName: not null } row ? row.State : throw Fail($"{addr:x} is in no VMA of mm {mmId}");

    /// <summary>The next probe read not yet expected (running the model as needed); fails if it does not match.</summary>
    public ProbeReadCompleted ExpectProbeRead(Func<ProbeReadCompleted, bool>? match = null, string? what = null)
    {
        var reads = 0;
        ProbeReadCompleted? next = null;
        _run.RunUntil(() =>
        {
            reads = 0;
            foreach (var o in _observed)
            {
                if (o is not ProbeReadCompleted r) continue;
                if (reads++ == _readCursor)
                {
                    next = r;
                    return true;
                }
            }
            return false;
        });
        if (next is null) throw Fail($"expected a probe read{(what is null ? "" : $" ({what})")}, but the run ended at {Ms(NowNs)} after {_readCursor} read(s)");
        _readCursor++;
        if (match is not null && !match(next)) throw Fail($"expected a probe read {what ?? "matching the condition"}, got {Describe(next)}");
        return next;
    }

    /// <summary>The next probe read is of <paramref name="target"/> and fails with <paramref name="cause"/>.</summary>
    public ProbeReadCompleted ExpectProbeReadFailure(string target, FailureCause cause) =>
        ExpectProbeRead(r => r.Target == target && !r.Ok && r.Cause == cause, $"of {target} failing with {cause.ToKebab()}");

    /// <summary>The next probe read is of <paramref name="target"/> and succeeds.</summary>
    public ProbeReadCompleted ExpectProbeReadOk(string target) =>
        ExpectProbeRead(r => r.Target == target && r.Ok, $"of {target} succeeding");

    /// <summary>Run to the end; no probe read may fail.</summary>
    public RunMetrics ExpectNoProbeReadFailure()
    {
        var metrics = Finish();
        var failed = ProbeReads.FirstOrDefault(r => !r.Ok);
        if (failed is not null) throw Fail($"expected no probe read to fail, but {Describe(failed)}");
        return metrics;
    }

    /// <summary>Run the model to the end and return its figures; a run that failed inside the model fails the test.</summary>
    public RunMetrics Finish()
    {
        if (_metrics is not null) return _metrics;
        var outcome = MachineRun.Finish(_run);
        RecordedSchedule = outcome.Schedule;
        if (!outcome.Succeeded) throw Fail($"the run failed inside the model: {outcome.Failure}");
        _metrics = outcome.Metrics!;
        return _metrics;
    }

    /// <summary>The run's decisions once finished, when it was built to record them (exploration).</summary>
    internal RunSchedule? RecordedSchedule { get; private set; }

    public void Dispose() => _run.Dispose();

    /// <summary>An expectation failure carrying the seed, the virtual time and the replay command.</summary>
    public ScenarioExpectationException Fail(string message) =>
        new($"{message} [seed {Seed}, at {Ms(NowNs)}; replay: {ReplayCommand}]");

    private static string Describe(ProbeReadCompleted r) =>
        $"the read of {r.Target} at {r.Addr:x} by task {r.TaskId} at {Ms(r.AtNs)} {(r.Ok ? "succeeded" : $"failed with {r.Cause?.ToKebab()}")}";

    private static string Ms(long ns) => (ns / 1e6).ToString("0.######", CultureInfo.InvariantCulture) + " ms";
}
