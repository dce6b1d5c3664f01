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
/// explained; and the run the timeline shows. Each run is recorded once; the recordings are shared out over the
/// lanes given, one run per lane at a time (each recording is its own run on its own lane's thread, so the
/// outcome does not depend on how many lanes there are). The other policies' outcomes that <c>actorkernel explain</c>
/// adds are left out (each would cost a run more).
/// </summary>
public static class ReportRuns
{
    /// <summary>Records what the report needs from <paramref name="records"/> (the folder's runs, in plan order) on a one-lane runner of its own.</summary>
    public static ReportRunsResult Record(ExperimentSession session, IReadOnlyList<RunRecord> records)
    {
        using var runner = new ExperimentRunner(1);
        return Start(session, records, runner.Lanes).GetAwaiter().GetResult();
    }

    /// <summary>
    /// Starts recording what the report needs on <paramref name="lanes"/> (free lanes of a runner the caller keeps
    /// until the task has finished): the CLI starts it as soon as its sweep is done, so that the re-runs go on
    /// while the table is printed and the other files and the plots are written.
    /// </summary>
    public static Task<ReportRunsResult> Start(ExperimentSession session, IReadOnlyList<RunRecord> records, IReadOnlyList<SimLane> lanes)
    {
        var ordered = records.OrderBy(r => r.Spec.Run).ToArray();
        var points = ordered.GroupBy(r => r.Spec.PointIndex).OrderBy(g => g.Key).ToArray();
        var firstFailed = points.Select(g => g.FirstOrDefault(r => r.Succeeded && r.Metrics is { ReadsFailed: > 0 })).ToArray();
        var (timelineRun, why) = TimelineChoice(ordered);
        if (timelineRun is null && firstFailed.All(r => r is null))
            return Task.FromResult(new ReportRunsResult(points.Select(g => new PointExplanation(g.Key, PointText(g.First()), null)).ToArray(), null));

        // Each run to record once, in plan order: a run recorded for an explanation is reused by the timeline.
        var toRecord = firstFailed.Append(timelineRun).OfType<RunRecord>().DistinctBy(r => r.Spec.Run).OrderBy(r => r.Spec.Run).ToArray();
        var recordings = new ExplainSession.RecordedRun[toRecord.Length];
        var next = -1;
        // A lane is driven by one thread at a time: each gets its own (long-running, so not queued behind the plots on the thread pool).
        var workers = lanes.Take(toRecord.Length).Select(lane => Task.Factory.StartNew(() =>
        {
            for (var i = Interlocked.Increment(ref next); i < toRecord.Length; i = Interlocked.Increment(ref next))
                recordings[i] = ExplainSession.Record(lane, toRecord[i].Spec);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        return Compose();

        async Task<ReportRunsResult> Compose()
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
            ExplainSession.RecordedRun Recorded(RunRecord r) => recordings[Array.FindIndex(toRecord, t => t.Spec.Run == r.Spec.Run)];
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
