using ActorKernel.Experiments.Explain;
using ActorKernel.Experiments.Running;
using ActorKernel.Experiments.Session;

namespace ActorKernel.Experiments.Trace;

/// <summary>
/// <c>run … --trace [N]</c>: trace.json in the output folder, the Chrome Trace Event file of one run of the sweep,
/// re-run with recording on when the folder is written. <see cref="Run"/> names the run; null traces the run
/// whose first failed read the command's footer names (the first run with a failed read; run 0 when no read failed).
/// </summary>
public sealed record RunTrace(int? Run)
{
    /// <summary>The file's name in the output folder.</summary>
    public const string FileName = "trace.json";

    /// <summary>The run traced, of <paramref name="records"/> (the folder's runs).</summary>
    public int RunOf(IReadOnlyList<RunRecord> records) =>
        Run ?? records.OrderBy(r => r.Spec.Run).FirstOrDefault(r => r.Metrics is { ReadsFailed: > 0 })?.Spec.Run ?? 0;

    /// <summary>The trace file of the traced run of <paramref name="session"/>'s plan.</summary>
    public (string Name, byte[] Content) Write(ExperimentSession session, IReadOnlyList<RunRecord> records)
    {
        var spec = session.Plan.Runs[RunOf(records)];
        var recorded = ExplainSession.Record(spec);
        return (FileName, System.Text.Encoding.UTF8.GetBytes(ChromeTrace.Write(session.Experiment.Name, spec, recorded)));
    }
}
