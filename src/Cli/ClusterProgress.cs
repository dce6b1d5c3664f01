using System.Diagnostics;
using System.Globalization;
using ActorKernel.Cluster;

namespace ActorKernel.Cli;

/// <summary>
/// Prints a coordinator's or worker's notices as plain lines: joins, losses and refusals as they
/// happen, runs done about ten times per sweep with each worker's count and rate. Wall-clock
/// time is used for the rates only; it never reaches a run.
/// </summary>
internal sealed class ClusterProgress(TextWriter output)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Stopwatch> _since = new(StringComparer.Ordinal);
    private int _lastReported;

    public void Report(ClusterNotice notice)
    {
        lock (_gate)
        {
            var line = Format(notice);
            if (line is not null) output.WriteLine(line);
        }
    }

    private string? Format(ClusterNotice notice)
    {
        switch (notice)
        {
            case Listening { Role: ClusterConfig.CoordinatorRole } l:
                return $"coordinator listening on {l.At}; start workers with: actorkernel worker --join {l.At}";
            case Listening l:
                return $"worker listening on {l.At}";
            case WaitingForWorkers w:
                return $"waiting for workers: {w.Have} of {w.Need} joined";
            case WorkerJoined j:
                _since[j.Worker] = Stopwatch.StartNew();
                return $"worker {j.Worker} joined with {j.Slots} slot(s)";
            case WorkerRefused r:
                return $"worker {r.Worker} refused the experiment: {r.Reason}";
            case WorkerDenied d:
                return $"refused worker {d.Worker}: {d.Reason}";
            case WorkerLost l:
                return $"lost worker {l.Worker} ({l.How}); re-issued {l.Reissued} run(s) it had in flight";
            case ResultRejected r:
                return $"rejected run {r.Run} from worker {r.Worker}: {r.Reason}; it is re-issued";
            case RunRecorded r when r.Done == r.Total || r.Done * 10 / r.Total > _lastReported * 10 / r.Total:
                _lastReported = r.Done;
                return $"  {r.Done}/{r.Total} runs; " + string.Join(", ", r.DoneByWorker.Select(kv => $"{kv.Key} {kv.Value} ({Rate(kv.Key, kv.Value)}/s)"));
            case WaitingToJoin w:
                return $"still waiting for the coordinator at {w.Coordinator} (is it running, and is that the address it printed?)";
            case ExperimentAccepted a:
                return $"running experiment '{a.Experiment}' ({a.Runs} runs) for the coordinator at {a.Coordinator}";
            case WorkerStopping s:
                return $"worker stopping: {s.Reason}";
            default:
                return null;
        }
    }

    private string Rate(string worker, int done) =>
        _since.TryGetValue(worker, out var sw) && sw.Elapsed.TotalSeconds > 0
            ? (done / sw.Elapsed.TotalSeconds).ToString("0.0", CultureInfo.InvariantCulture)
            : "?";
}
