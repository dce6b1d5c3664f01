using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Engine;
using ActorKernel.Actors.Machine;
using ActorKernel.Actors.Memory;
using ActorKernel.Actors.Metrics;
using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.TestKit;

/// <summary>
/// A running scenario, driven in virtual time by the test's thread. Every observation the
/// run publishes (probe reads, faults, lock changes, fork steps) is kept in order and also
/// goes to the actor system's event stream, where Akka.TestKit probes can subscribe.
/// A failed expectation says the seed and the command that replays it.
/// </summary>
/// <remarks>
/// The probe-read cursor: <see cref="ExpectProbeRead"/> and its variants consume probe reads one at a
/// time, in the order they were published, over every target and task — the next read not yet
/// consumed must match, whatever it reads. <see cref="FishForProbeRead"/> consumes reads up to the
/// first that matches; <see cref="ExpectNoProbeRead"/> and <see cref="ExpectNoProbeReadFailure"/>
/// consume every read they looked at. <see cref="RunUntil{T}"/>, <see cref="RunUntilTime(long)"/> and
/// <see cref="Advance(long)"/> run the model but do not move the cursor: reads they ran past are
/// still there for the next expectation.
/// </remarks>
public sealed class Scenario : IDisposable
{
    private static int _lanes;
    private readonly SimRun _run;
    private readonly List<object> _observed = new();
    private readonly IReadOnlyDictionary<int, PlacedImage> _images;
    private int _readCursor;
    private long _deadlineNs = long.MaxValue;
    private RunMetrics? _metrics;

    internal Scenario(ActorSystem system, MachineSpec spec, ulong seed, IReadOnlyDictionary<int, PlacedImage> images, string replayCommand, ScheduleOptions? schedule = null)
    {
        Settings = spec.Settings;
        Seed = seed;
        ReplayCommand = replayCommand;
        _images = images;
        var lane = new SimLane(system, 1000 + Interlocked.Increment(ref _lanes));
        _run = MachineRun.Start(lane, spec, seed, system.EventStream, _observed.Add, schedule);
    }

    public ActorKernelSettings Settings { get; }

    public ulong Seed { get; }

    /// <summary>A one-line command that reruns this scenario's test with this scenario's seed (and only this scenario's).</summary>
    public string ReplayCommand { get; }

    /// <summary>Virtual time now, in nanoseconds.</summary>
    public long NowNs => _run.Context.NowNs;

    /// <summary>Virtual time now, since the run started.</summary>
    public SimDuration Now => new(NowNs);

    /// <summary>Everything observed so far, in order (from 0 ns on).</summary>
    public IReadOnlyList<object> Observations => _observed;

    /// <summary>
    /// Probe reads observed so far, in order. A read's <see cref="ProbeReadCompleted.AtNs"/> is when its
    /// outcome was decided: for a policy that only walks the page table (nofault, and deferred's reads) the
    /// moment the read starts; for one that locks or faults in place (trylock-minor, trylock-vma,
    /// sleepable) after the lock and the fault, before the fix-up. <see cref="ProbeReadCompleted.LatencyNs"/>
    /// is the read's whole cost.
    /// </summary>
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
        Drive(() =>
        {
            for (; from < _observed.Count && found is null; from++)
                if (_observed[from] is T t && (match is null || match(t))) found = t;
            return found is not null;
        });
        return found ?? throw Fail($"{Ended()} without a matching {typeof(T).Name}");
    }

    /// <summary>Deliver every event due up to <paramref name="timeNs"/> (prefer the <see cref="SimDuration"/> overload).</summary>
    public Scenario RunUntilTime(long timeNs)
    {
        _run.RunUntilTime(timeNs);
        return this;
    }

    /// <summary>Deliver every event due up to the instant <paramref name="at"/> after the run's start.</summary>
    public Scenario RunUntilTime(SimDuration at) => RunUntilTime(at.Ns);

    /// <summary>Advance virtual time by <paramref name="durationNs"/> (prefer the <see cref="SimDuration"/> overload).</summary>
    public Scenario Advance(long durationNs)
    {
        _run.Advance(durationNs);
        return this;
    }

    /// <summary>Advance virtual time by <paramref name="duration"/>.</summary>
    public Scenario Advance(SimDuration duration) => Advance(duration.Ns);

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
        return rows ?? throw Fail($"address space {mmId} does not exist at {Now} (exited, or not created yet)");
    }

    /// <summary>The PTE state of the page holding <paramref name="addr"/> in address space <paramref name="mmId"/>.</summary>
    public PteState PteAt(int mmId, ulong addr) =>
        PageTable(mmId).FirstOrDefault(r => r.Vpn == Pages.Vpn(addr)) is { VmaName: not null } row ? row.State : throw Fail($"{addr:x} is in no VMA of mm {mmId}");

    /// <summary>The next probe read not yet consumed (running the model as needed); fails if it does not match.</summary>
    public ProbeReadCompleted ExpectProbeRead(Func<ProbeReadCompleted, bool>? match = null, string? what = null)
    {
        var next = NextRead() ?? throw Fail($"expected a probe read{(what is null ? "" : $" ({what})")}, but {Ended()} after {_readCursor} read(s)");
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

    /// <summary>Consume probe reads until one matches <paramref name="match"/> (Akka's FishForMessage), running the model as needed; returns it.</summary>
    public ProbeReadCompleted FishForProbeRead(Func<ProbeReadCompleted, bool> match, string? what = null)
    {
        var skipped = 0;
        while (true)
        {
            var next = NextRead() ?? throw Fail($"fished for a probe read {what ?? "matching the condition"}, but {Ended()} after skipping {skipped} read(s)");
            _readCursor++;
            if (match(next)) return next;
            skipped++;
        }
    }

    /// <summary>
    /// Run the model for <paramref name="duration"/>: no probe read matching <paramref name="match"/> (any read,
    /// when null) may be published in that time, among those not yet consumed; consumes them all.
    /// </summary>
    public Scenario ExpectNoProbeRead(SimDuration duration, Func<ProbeReadCompleted, bool>? match = null, string? what = null)
    {
        var until = checked(NowNs + duration.Ns);
        _run.RunUntilTime(until);
        var reads = ProbeReads;
        var hit = reads.Skip(_readCursor).FirstOrDefault(r => match is null || match(r));
        _readCursor = reads.Count;
        if (hit is not null) throw Fail($"expected no probe read {(what is null ? match is null ? "" : "matching the condition " : what + " ")}for {duration}, but {Describe(hit)}");
        return this;
    }

    /// <summary>Run to the end: no probe read not yet consumed may fail (reads already expected to fail do not count). Consumes them all.</summary>
    public RunMetrics ExpectNoProbeReadFailure()
    {
        var metrics = Finish();
        var reads = ProbeReads;
        var failed = reads.Skip(_readCursor).FirstOrDefault(r => !r.Ok);
        _readCursor = reads.Count;
        if (failed is not null) throw Fail($"expected no probe read to fail, but {Describe(failed)}");
        return metrics;
    }

    /// <summary>
    /// Run <paramref name="body"/> and fail if it took more than <paramref name="max"/> of virtual time
    /// (Akka's Within). Expectations inside stop running the model once the time is up.
    /// </summary>
    public T Within<T>(SimDuration max, Func<T> body)
    {
        var start = NowNs;
        var outer = _deadlineNs;
        _deadlineNs = Math.Min(outer, checked(start + max.Ns));
        try
        {
            var result = body();
            if (NowNs - start > max.Ns) throw Fail($"expected this within {max}, but it took {SimDuration.Format(NowNs - start)}");
            return result;
        }
        finally
        {
            _deadlineNs = outer;
        }
    }

    /// <summary>Run <paramref name="body"/> and fail if it took more than <paramref name="max"/> of virtual time.</summary>
    public void Within(SimDuration max, Action body) => Within(max, () =>
    {
        body();
        return true;
    });

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
        new($"{message} [seed {Seed}, at {Now}; replay: {ReplayCommand}]");

    // The read at the cursor, running the model until it is published (or the run ends, or a Within's time is up).
    private ProbeReadCompleted? NextRead()
    {
        ProbeReadCompleted? next = null;
        Drive(() =>
        {
            var reads = 0;
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
        return next;
    }

    private void Drive(Func<bool> found) => _run.RunUntil(() => found() || NowNs > _deadlineNs);

    private string Ended() =>
        _run.IsCompleted ? $"the run ended at {Now}" : $"the time was up at {Now} (Within, by {SimDuration.Format(_deadlineNs)})";

    private static string Describe(ProbeReadCompleted r) =>
        $"the read of {r.Target} at {r.Addr:x} by task {r.TaskId} at {SimDuration.Format(r.AtNs)} {(r.Ok ? "succeeded" : $"failed with {r.Cause?.ToKebab()}")}";
}
