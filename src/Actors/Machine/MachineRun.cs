using ActorKernel.Actors.Engine;
using ActorKernel.Actors.Metrics;
using Akka.Actor;
using Akka.Event;

namespace ActorKernel.Actors.Machine;

/// <summary>How one run of a machine ended.</summary>
/// <param name="Result">What the machine handed to the engine; null when the run failed.</param>
/// <param name="Failure">Why the run failed (a violated invariant, the event bound, an exception), or null.</param>
/// <param name="Events">Timed events delivered.</param>
/// <param name="VirtualTimeNs">Virtual time when the run ended.</param>
public sealed record MachineRunOutcome(RunResult? Result, string? Failure, long Events, long VirtualTimeNs)
{
    public bool Succeeded => Failure is null;

    /// <summary>The run's decisions when it was recorded (<see cref="ScheduleOptions.Record"/>); else null.</summary>
    public RunSchedule? Schedule { get; init; }

    /// <summary>The run's figures; null when it failed.</summary>
    public RunMetrics? Metrics => Result?.Metrics;

    /// <summary>The page tables captured at <see cref="MachineSpec.PageTablesAtNs"/>; empty when none were asked for or the run failed.</summary>
    public IReadOnlyList<PageTableSnapshot> PageTables => Result?.PageTables ?? Array.Empty<PageTableSnapshot>();

    /// <summary>The engine's outcome of a run whose root is a <see cref="MachineActor"/>: on success its result is a <see cref="RunResult"/>.</summary>
    public static MachineRunOutcome Of(SimRunOutcome outcome) =>
        new(outcome.Succeeded ? (RunResult)outcome.Result! : null, outcome.Failure, outcome.Events, outcome.VirtualTimeNs) { Schedule = outcome.Schedule };
}

/// <summary>
/// The one way to run a <see cref="MachineSpec"/> on a <see cref="SimLane"/>: the machine is the
/// run's root, and the interleaving and event bound come from the spec's settings
/// (actor-kernel.engine). The experiment runner, the TestKit, the bench and the tests all go through here.
/// </summary>
public static class MachineRun
{
    /// <summary>
    /// Runs the machine to the end on the calling thread. With <paramref name="publishTo"/> the run
    /// also publishes its observations there (scenario tests subscribe probes to it). <paramref name="schedule"/>
    /// replaces the settings' strategy (engine.strategy): to record the run's decisions or replay a schedule.
    /// </summary>
    public static MachineRunOutcome Run(SimLane lane, MachineSpec spec, ulong seed, EventStream? publishTo = null, ScheduleOptions? schedule = null) =>
        MachineRunOutcome.Of(lane.Run(Root(spec), seed, spec.Settings.Engine.Interleaving, spec.Settings.Engine.MaxEvents, publishTo, schedule ?? spec.Settings.Engine.Schedule));

    /// <summary>Starts the machine for the calling thread to drive step by step (<see cref="SimRun.RunUntil"/>); end it with <see cref="Finish"/>. <paramref name="observer"/> sees every observation, the first ones at 0 ns included; <paramref name="schedule"/> overrides the settings' strategy.</summary>
    public static SimRun Start(SimLane lane, MachineSpec spec, ulong seed, EventStream? publishTo = null, Action<object>? observer = null, ScheduleOptions? schedule = null) =>
        lane.Start(Root(spec), seed, spec.Settings.Engine.Interleaving, spec.Settings.Engine.MaxEvents, publishTo, observer, schedule ?? spec.Settings.Engine.Schedule);

    /// <summary>Drives a run from <see cref="Start"/> to the end.</summary>
    public static MachineRunOutcome Finish(SimRun run) => MachineRunOutcome.Of(run.Finish());

    // Varying costs draw from the run's own generator: the spec's settings are bound to this seed here.
    private static Func<SimContext, Props> Root(MachineSpec spec) => sim => MachineActor.Props(sim, spec with { Settings = spec.Settings.ForRun(sim.Seed) });
}
