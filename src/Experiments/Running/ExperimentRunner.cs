using ActorKernel.Actors.Engine;
using ActorKernel.Actors.Machine;
using ActorKernel.Actors.Metrics;
using ActorKernel.Actors.Workloads;
using ActorKernel.Experiments.Planning;
using Akka.Actor;
using Akka.Configuration;

namespace ActorKernel.Experiments.Running;

/// <summary>
/// Executes a plan's runs in parallel: one simulation lane per worker thread, each lane
/// driving one run at a time. Runs are independent and deterministic, so the records do
/// not depend on how many lanes there are or which finishes first.
/// </summary>
public sealed class ExperimentRunner : IDisposable
{
    // The lanes' actor system logs only errors, and starts and stops without waiting for what a run never
    // uses: ActorSystem.Create does not wait for its logger actor to start (nothing logs before the first
    // run), and Terminate stops the actors without creating the CoordinatedShutdown extension, in which
    // nothing is registered (docs/performance.md, "Start-up, sixth pass").
    private static readonly Config QuietAkka = ConfigurationFactory.ParseString("""
        akka.loglevel = ERROR
        akka.stdout-loglevel = OFF
        akka.log-dead-letters = off
        akka.log-dead-letters-during-shutdown = off
        akka.actor.creation-timeout = 60s
        akka.logger-async-start = on
        akka.coordinated-shutdown.run-by-actor-system-terminate = off
        """);

    /// <summary>
    /// Test hook of the interruption tests (tests/ActorKernel.Cli.Tests/ResumeEndToEndTests.cs): with a
    /// number N in this environment variable, <see cref="Run(IReadOnlyList{RunSpec}, Action{RunRecord}, IProgress{RunProgress}?, CancellationToken)"/>
    /// starts no further run once N have finished and waits for cancellation, so that a kill or Ctrl-C
    /// lands after exactly N recorded runs (with one lane) instead of racing the sweep. A cluster
    /// worker's slots obey it too (<see cref="HoldAfterRuns"/>), so cluster tests stop a worker after
    /// exactly N runs. It decides only when runs start, never what a run computes.
    /// </summary>
    public const string HoldAfterRunsVariable = "ACTORKERNEL_HOLD_AFTER_RUNS";

    private readonly ActorSystem _system;
    private readonly SimLane[] _lanes;
    private readonly int? _holdAfterRuns;

    public ExperimentRunner(int parallelism)
    {
        if (parallelism < 1) throw new ArgumentOutOfRangeException(nameof(parallelism), parallelism, "at least one lane");
        _system = ActorSystem.Create("actorkernel", QuietAkka);
        _lanes = Enumerable.Range(0, parallelism).Select(i => new SimLane(_system, i)).ToArray();
        _holdAfterRuns = int.TryParse(Environment.GetEnvironmentVariable(HoldAfterRunsVariable), out var n) && n >= 0 ? n : null;
    }

    /// <summary>The number N of <see cref="HoldAfterRunsVariable"/>: start no run once N have finished; null (always) outside tests.</summary>
    public int? HoldAfterRuns => _holdAfterRuns;

    /// <summary>The actor system the runs live in; scenario tests may subscribe observers to its event stream.</summary>
    public ActorSystem System => _system;

    /// <summary>The lanes: each is driven by one thread at a time (a cluster worker gives each slot its own).</summary>
    public IReadOnlyList<SimLane> Lanes => _lanes;

    /// <summary>
    /// A new lane on this runner's actor system, not among <see cref="Lanes"/>, and fresh: it numbers its runs from
    /// 0, as a new runner's lane does (report.html's re-runs; an actor system costs far more than a lane).
    /// </summary>
    public SimLane AddLane() => new(_system, Interlocked.Increment(ref _addedLanes) + _lanes.Length - 1);

    private int _addedLanes;

    /// <summary>
    /// Run every run of <paramref name="plan"/>. Cancellation stops handing out new runs;
    /// the runs already started finish, and only finished runs are returned.
    /// </summary>
    public IReadOnlyList<RunRecord> Run(ExperimentPlan plan, IProgress<RunProgress>? progress = null, CancellationToken cancel = default)
    {
        var records = new RunRecord?[plan.Runs.Count];
        Run(plan.Runs, r => records[r.Spec.Run] = r, progress, cancel);
        return records.Where(r => r is not null).Select(r => r!).ToArray();
    }

    /// <summary>
    /// Run <paramref name="runs"/> (handed out in that order), calling <paramref name="finished"/> on
    /// the lane's thread as each one finishes (the journal records it there); nothing else keeps the
    /// records. Progress counts these runs only.
    /// </summary>
    public void Run(IReadOnlyList<RunSpec> runs, Action<RunRecord> finished, IProgress<RunProgress>? progress = null, CancellationToken cancel = default)
    {
        var next = -1;
        var done = 0;
        long events = 0;
        var threads = _lanes.Select(lane => new Thread(() =>
        {
            while (!cancel.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= runs.Count) return;
                if (_holdAfterRuns is { } hold && Volatile.Read(ref done) >= hold)
                {
                    cancel.WaitHandle.WaitOne();
                    return;
                }
                var record = Execute(lane, runs[i]);
                finished(record);
                var total = Interlocked.Add(ref events, record.Events);
                progress?.Report(new RunProgress(Interlocked.Increment(ref done), runs.Count, total));
            }
        }) { IsBackground = true, Name = $"actorkernel-{lane.DispatcherId}" }).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
    }

    /// <summary>Execute one run on <paramref name="lane"/> (the calling thread drives it).</summary>
    public static RunRecord Execute(SimLane lane, RunSpec spec) => Execute(lane, spec, null).Record;

    /// <summary>Execute one run, capturing every mm's page table at <paramref name="pageTablesAtNs"/> (the pagemap command).</summary>
    public static (RunRecord Record, IReadOnlyList<PageTableSnapshot> PageTables) Execute(SimLane lane, RunSpec spec, long? pageTablesAtNs)
    {
        var machine = new MachineSpec(spec.Settings, spec.Policy, WorkloadCatalog.For(spec.Settings), PageTablesAtNs: pageTablesAtNs);
        var outcome = MachineRun.Run(lane, machine, spec.Seed);
        return (new RunRecord(spec, outcome.Metrics, outcome.Failure, outcome.Events, outcome.VirtualTimeNs), outcome.PageTables);
    }

    /// <summary>Execute one run with the engine's choices given (recorded, or replayed from a schedule): `explore` and `run --schedule`.</summary>
    public static (RunRecord Record, RunSchedule? Schedule) ExecuteScheduled(SimLane lane, RunSpec spec, ScheduleOptions schedule)
    {
        var machine = new MachineSpec(spec.Settings, spec.Policy, WorkloadCatalog.For(spec.Settings));
        var outcome = MachineRun.Run(lane, machine, spec.Seed, schedule: schedule);
        return (new RunRecord(spec, outcome.Metrics, outcome.Failure, outcome.Events, outcome.VirtualTimeNs), outcome.Schedule);
    }

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(30));
}
