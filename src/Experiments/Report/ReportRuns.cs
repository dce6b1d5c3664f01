using ActorKernel.Actors.Engine;
using ActorKernel.Experiments.Explain;
using ActorKernel.Experiments.Plots;
using ActorKernel.Experiments.Running;
using ActorKernel.Experiments.Session;

namespace ActorKernel.Experiments.Report;

/// <summary>The first failed read of one sweep point, explained; or why there is none to explain.</summary>
/// <param name="PointIndex">The point's index in the plan.</param>
/// <param name="Point">The point's swept values, "key=value, …" (empty for an experiment without a sweep).</param>
/// <param name="Explanation">The explanation of the first failed read of the point's first run (plan order) with one, or null.</param>
/// <param name="Note">Why a point with a failed read has no explanation (its re-run did not reproduce it), else null.</param>
public sealed record PointExplanation(int PointIndex, string Point, ReadExplanation? Explanation, string? Note = null);

/// <summary>The run the report's timeline shows, recorded.</summary>
/// <param name="Recorded">The re-run with provenance recording on.</param>
/// <param name="Why">Why this run was chosen, in a sentence fragment ("the run with the most failed reads").</param>
public sealed record TimelineRun(ExplainSession.RecordedRun Recorded, string Why);

/// <summary>What report.html shows from its re-runs: each sweep point's first failed read explained, and the timeline's run.</summary>
public sealed record ReportRunsResult(IReadOnlyList<PointExplanation> Points, TimelineRun? Timeline);

/// <summary>
/// The runs report.html re-runs with provenance recording on (the seed makes any run replayable, so normal runs
/// record nothing): per sweep point, the first run in plan order with a failed read, whose first failed read is
/// explained; and the run the timeline shows. Each run is recorded once, on one fresh lane, one after the other
/// (the lane numbers its runs, and the recorded actor names carry that number: a fresh lane names them as on a new
/// runner, whatever ran before); the other policies' outcomes that <c>actorkernel explain</c> adds are left out
/// (each would cost a run more).
/// </summary>
public static class ReportRuns
{
    /// <summary>Records what the report needs from <paramref name="records"/> (the folder's runs, in plan order) on a one-lane runner of its own.</summary>
    public static ReportRunsResult Record(ExperimentSession session, IReadOnlyList<RunRecord> records)
    {
        using var runner = new ExperimentRunner(1);
        return Record(session, records, runner.Lanes[0]);
    }

    /// <summary>
    /// Starts recording what the report needs on a lane added to <paramref name="runner"/> (no second actor system),
    /// on a thread of its own; the caller keeps the runner until the task has finished. The CLI starts it as soon
    /// as its sweep is done, so that the re-runs go on while the table is printed and the other files are written.
    /// </summary>
    public static Task<ReportRunsResult> Start(ExperimentSession session, IReadOnlyList<RunRecord> records, ExperimentRunner runner) =>
        Task.Factory.StartNew(() => Record(session, records, runner.AddLane()), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static ReportRunsResult Record(ExperimentSession session, IReadOnlyList<RunRecord> records, SimLane lane)
    {
        var ordered = records.OrderBy(r => r.Spec.Run).ToArray();
        var points = ordered.GroupBy(r => r.Spec.PointIndex).OrderBy(g => g.Key).ToArray();
        var firstFailed = points.Select(g => g.FirstOrDefault(r => r.Succeeded && r.Metrics is { ReadsFailed: > 0 })).ToArray();
        var (timelineRun, why) = TimelineChoice(ordered);
        if (timelineRun is null && firstFailed.All(r => r is null))
            return new ReportRunsResult(points.Select(g => new PointExplanation(g.Key, PointText(g.First()), null)).ToArray(), null);

        // Lookup only (never iterated): a run recorded for an explanation is reused by the timeline.
        var recorded = new Dictionary<int, ExplainSession.RecordedRun>();
        ExplainSession.RecordedRun Recorded(RunRecord r)
        {
            if (!recorded.TryGetValue(r.Spec.Run, out var rec)) recorded[r.Spec.Run] = rec = ExplainSession.Record(lane, r.Spec);
            return rec;
        }

        var explained = points.Select((g, i) =>
        {
            var run = firstFailed[i];
            if (run is null) return new PointExplanation(g.Key, PointText(g.First()), null);
            var rec = Recorded(run);
            if (!Reproduces(rec, run))
                return new PointExplanation(g.Key, PointText(run), null, $"run {run.Spec.Run} ran again from its seed differently ({rec.Record.Events} events, not {run.Events}): " +
                                                                          "a --schedule replay's decisions are not applied again, so there is no recording of this run to explain");
            return new PointExplanation(g.Key, PointText(run), ExplainSession.Explain(session, run.Spec, rec, ReadSelector.FirstFailed, Array.Empty<Planning.RunSpec>()));
        }).ToArray();
        if (timelineRun is null) return new ReportRunsResult(explained, null);
        var shown = Recorded(timelineRun);
        return new ReportRunsResult(explained, Reproduces(shown, timelineRun) ? new TimelineRun(shown, why) : null);
    }

    // The recording is of the run the folder holds: the same events and end time (a --schedule replay's run may not be).
    private static bool Reproduces(ExplainSession.RecordedRun recorded, RunRecord run) =>
        recorded.Record.Events == run.Events && recorded.Record.VirtualTimeNs == run.VirtualTimeNs;

    // The timeline plot's run when the experiment is time-dependent; else the first run with a failed read; else the first run.
    private static (RunRecord? Run, string Why) TimelineChoice(IReadOnlyList<RunRecord> ordered)
    {
        if (TimelinePlot.RunShown(ordered) is { } shown) return (shown, "the run with the most failed reads, as in timeline.png");
        if (ordered.FirstOrDefault(r => r.Succeeded && r.Metrics is { ReadsFailed: > 0 }) is { } failed) return (failed, "the first run with a failed read");
        return ordered.FirstOrDefault(r => r.Succeeded) is { } first ? (first, "the first run (no read failed)") : (null, "");
    }

    private static string PointText(RunRecord r) => string.Join(", ", r.Spec.Point.Select(p => $"{p.Key}={p.Value}"));
}
