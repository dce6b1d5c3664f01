using ActorKernel.Cli;
using ActorKernel.Experiments.Running;
using ActorKernel.Experiments.Session;

namespace ActorKernel.Cli.Tests;

/// <summary>`run --check-determinism`: identical re-runs pass; a planted difference is reported with the first differing field.</summary>
public sealed class DeterminismCheckTests : IDisposable
{
    private const string Tiny = "actor-kernel.workload.fork-exec.execs = 2\nexperiment { name = tiny, runs-per-point = 3, policies = [nofault, trylock-minor] }\n";

    private readonly string _dir = Directory.CreateTempSubdirectory("actorkernel-determinism-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static IReadOnlyList<RunRecord> Records() =>
        ExperimentSession.PrepareText(Tiny, "tiny.conf", []).Run(2, null, CancellationToken.None);

    [Fact]
    public void ReRunningASample_GivesIdenticalJournalLines()
    {
        var records = Records();
        var report = DeterminismCheck.Run(records);
        Assert.True(report.Identical, report.Difference);
        Assert.Equal(6, report.Checked);
    }

    [Fact]
    public void APlantedDifference_IsReportedWithTheRunAndTheFirstDifferingField()
    {
        var records = Records();
        var planted = records.Select((r, i) => i == 4 ? r with { VirtualTimeNs = r.VirtualTimeNs + 1 } : r).ToArray();
        var report = DeterminismCheck.Compare(records, planted);
        Assert.False(report.Identical);
        Assert.StartsWith($"determinism check failed: run 4 (point 0, policy trylock-minor, repetition 1, seed {records[4].Spec.Seed}) differs when run again, first at virtualTimeNs: {records[4].VirtualTimeNs} in the sweep, {records[4].VirtualTimeNs + 1} when run again", report.Difference);
    }

    [Fact]
    public void TheFirstDifference_IsNamedByItsPath_InsideNestedFields()
    {
        var (field, first, second) = DeterminismCheck.FirstDifference(
            """{"run":1,"metrics":{"reads":5,"causes":[1,2,3],"x":0}}""",
            """{"run":1,"metrics":{"reads":5,"causes":[1,2,4],"x":1}}""");
        Assert.Equal(("metrics.causes[2]", "3", "4"), (field, first, second));
        Assert.Equal("failure", DeterminismCheck.FirstDifference("""{"failure":null}""", """{"failure":"boom"}""").Field);
    }

    [Fact]
    public void TheSample_IsSpreadOverThePlan_FirstAndLastIncluded()
    {
        var records = Records();
        Assert.Same(records, DeterminismCheck.Sample(records));
        var many = Enumerable.Range(0, 20).Select(i => records[i % records.Count] with { Events = i }).ToArray();
        Assert.Equal(new long[] { 0, 2, 5, 8, 10, 13, 16, 19 }, DeterminismCheck.Sample(many).Select(r => r.Events));
    }

    [Fact]
    public void TheCommand_ChecksAfterTheSweep_AndSaysSo()
    {
        var file = Path.Combine(_dir, "tiny.conf");
        File.WriteAllText(file, Tiny);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliMain.Run(["run", file, "--check-determinism", "--parallel", "1", "--out", Path.Combine(_dir, "o")], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        Assert.Contains("determinism check: 6 of 6 runs run again on another lane in reverse order; their runs.jsonl lines are identical", stderr.ToString());
    }
}
