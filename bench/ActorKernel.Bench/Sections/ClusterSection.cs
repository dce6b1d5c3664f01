using System.Diagnostics;
using ActorKernel.Bench.Infra;
using ActorKernel.Cluster;
using ActorKernel.Experiments.Journal;
using ActorKernel.Experiments.Session;

namespace ActorKernel.Bench.Sections;

/// <summary>
/// Section 6: aggregate throughput of a sweep on a loopback cluster with 1 and with 2 workers
/// (one slot each), beside the local runner with 1 and 2 lanes. Coordinator and workers are
/// separate actor systems talking over TCP on 127.0.0.1, in this process; the clock starts when
/// the last awaited worker has joined, so cluster formation is not counted.
/// </summary>
public static class ClusterSection
{
    public const string Name = "cluster";

    public static void Run(Harness h)
    {
        // Runs of ~20 ms (200 execs each), so the figure is about distributing work, not about
        // a per-message cost dwarfing a tiny run.
        var runsPerPoint = (int)h.Scaled(4);
        ExperimentSession Session() => ExperimentSession.Prepare(null, [$"experiment.runs-per-point={runsPerPoint}", "workload.fork-exec.execs=200"]);
        var runs = Session().Plan.Runs.Count;
        h.Report.Fact($"{Name}.sweep", $"built-in fork-exec with 200 execs per run, {runs} runs");

        double Local(int lanes) => WithJournal(Session(), (s, j) =>
        {
            var t = Stopwatch.StartNew();
            s.Run(j, lanes, null, CancellationToken.None);
            return runs / t.Elapsed.TotalSeconds;
        });

        double Cluster(int workers) => WithJournal(Session(), (s, j) =>
        {
            using var sweep = ClusterSweep.Start(new CoordinatorOptions(new Endpoint("127.0.0.1", 0), workers, 0));
            Stopwatch? clock = null;
            var joined = 0;
            void Notice(ClusterNotice n)
            {
                if (n is WorkerJoined && Interlocked.Increment(ref joined) == workers) clock = Stopwatch.StartNew();
            }
            var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
                WorkerNode.Run(new WorkerOptions(sweep.Bound, new Endpoint("127.0.0.1", 0), 1), _ => { }, CancellationToken.None))
                { IsBackground = true }).ToList();
            threads.ForEach(t => t.Start());
            sweep.Run(s, j, Notice, CancellationToken.None);
            var seconds = clock!.Elapsed.TotalSeconds;
            threads.ForEach(t => t.Join());
            return runs / seconds;
        });

        var samples = h.Interleaved(() =>
            {
                Local(1);
                Cluster(1);
            },
            ("local-1", () => Local(1)),
            ("local-2", () => Local(2)),
            ("cluster-1", () => Cluster(1)),
            ("cluster-2", () => Cluster(2)));

        var r = h.Report;
        r.Add(ResultRow.FromSamples(Name, "local, 1 lane", "runs/s", samples["local-1"]));
        r.Add(ResultRow.FromSamples(Name, "local, 2 lanes", "runs/s", samples["local-2"]));
        r.Add(ResultRow.FromSamples(Name, "cluster, 1 worker × 1 slot", "runs/s", samples["cluster-1"]));
        r.Add(ResultRow.FromSamples(Name, "cluster, 2 workers × 1 slot", "runs/s", samples["cluster-2"]));
        r.Add(ResultRow.Ratio(Name, "cluster 2 workers / 1 worker", Stats.Median(samples["cluster-2"]) / Stats.Median(samples["cluster-1"]),
            note: "2 cores in all: the coordinator competes with the workers"));
        r.Add(ResultRow.Ratio(Name, "cluster 1 worker / local 1 lane", Stats.Median(samples["cluster-1"]) / Stats.Median(samples["local-1"]),
            note: "the protocol's cost per run: one message each way and a journal line"));
    }

    private static double WithJournal(ExperimentSession session, Func<ExperimentSession, RunJournal, double> measure)
    {
        var dir = Directory.CreateTempSubdirectory("actorkernel-bench-cluster-").FullName;
        try
        {
            using var journal = session.OpenJournal(Path.Combine(dir, "out"), resume: false);
            return measure(session, journal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
