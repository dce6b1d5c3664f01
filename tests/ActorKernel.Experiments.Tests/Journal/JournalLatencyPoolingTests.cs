using ActorKernel.Experiments.Results;
using ActorKernel.Experiments.Session;

namespace ActorKernel.Experiments.Tests.Journal;

/// <summary>A journal pools each run's latency histogram per point × policy as it records the run; the summaries equal those pooled from the runs' own histograms.</summary>
public sealed class JournalLatencyPoolingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("actorkernel-pooling-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void PooledAsRunsFinish_GivesTheSameSummaries_AsPoolingTheRecordsAtTheEnd()
    {
        var s = ExperimentSession.Prepare(null, ["workload.fork-exec.execs=20", "experiment.runs-per-point=3"]);
        var fromRecords = PointSummary.Of(s.Run(2, null, CancellationToken.None));

        using var journal = s.OpenJournal(Path.Combine(_dir, "out"), resume: false);
        s.Run(journal, 2, null, CancellationToken.None);
        var records = journal.Records();
        Assert.All(records, r => Assert.Null(r.Metrics!.Policy.LatencyHistogram));
        var fromJournal = PointSummary.Of(records, journal.Latencies);

        Assert.Equal(fromRecords.Count, fromJournal.Count);
        for (var i = 0; i < fromRecords.Count; i++)
        {
            Assert.True(fromRecords[i].Pooled.Latency!.TotalCount > 0);
            Assert.Equal(fromRecords[i].Pooled.Latency!.TotalCount, fromJournal[i].Pooled.Latency!.TotalCount);
            Assert.Equal(fromRecords[i].Pooled.LatencyNs, fromJournal[i].Pooled.LatencyNs);
        }
    }
}
