using ActorKernel.Experiments.Plots;
using ActorKernel.Experiments.Results;
using ActorKernel.Experiments.Session;

namespace ActorKernel.Experiments.Tests.Plots;

/// <summary>Which plots an output folder gets: none with nothing in it, a timeline for time-dependent runs.</summary>
public sealed class PlotSelectionTests
{
    private static string Repo(params string[] parts)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ActorKernel.sln"))) dir = dir.Parent;
        return Path.Combine(new[] { dir?.FullName ?? throw new InvalidOperationException("ActorKernel.sln not found") }.Concat(parts).ToArray());
    }

    private static (ExperimentSession Session, IReadOnlyList<(string Name, byte[] Content)> Files) Run(string? file, params string[] overrides)
    {
        var session = ExperimentSession.Prepare(file, overrides);
        var records = session.Run(2, null, CancellationToken.None);
        return (session, session.OutputFiles(records));
    }

    [Fact]
    public void DefaultForkExec_WritesNoWorkloadDelayPlot_BecauseNoProbeDelayedAWriter()
    {
        // dup_mmap() takes the mmap_lock for write, so there are writers; nofault never takes the
        // lock, so none waited for a probe: the plot would be all zeros.
        var (_, files) = Run(null, "workload.fork-exec.execs=3");
        var names = files.Select(f => f.Name).ToArray();
        Assert.DoesNotContain("workload-delay.png", names);
        Assert.DoesNotContain(TimelinePlot.FileName, names);
        Assert.Contains("failure-rate.png", names);
        Assert.Contains("failures-by-cause.png", names);
    }

    [Fact]
    public void NoFailedRead_WritesNoFailuresByCausePlot()
    {
        var (_, files) = Run(null, "workload.fork-exec.execs=3", "experiment.sweep.\"workload.fork-exec.spawn\"=[vfork]");
        Assert.DoesNotContain("failures-by-cause.png", files.Select(f => f.Name));
    }

    [Fact]
    public void NumaIdle_WritesATimelineOfTheRunWithTheMostFailedReads()
    {
        var file = Repo("config", "experiments", "numa-idle.conf");
        var session = ExperimentSession.Prepare(file, new[] { "workload.numa-idle.duration-s=8" });
        var records = session.Run(2, null, CancellationToken.None);
        var shown = TimelinePlot.RunShown(records);
        Assert.NotNull(shown);
        Assert.Equal(records.Max(r => r.Metrics!.ReadsFailed), shown!.Metrics!.ReadsFailed);
        Assert.True(shown.Metrics.ReadsFailed > 0);
        var png = session.OutputFiles(records).Single(f => f.Name == TimelinePlot.FileName).Content;
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png.Take(4));
        Assert.True(png.Length > 10_000);
    }

    [Fact]
    public void Numa2Node_TableShowsTheNumaFigures_ThatItsSweepChanges()
    {
        var file = Repo("config", "experiments", "numa-2node.conf");
        var session = ExperimentSession.Prepare(file, new[] { "workload.numa-idle.duration-s=8" });
        var table = SummaryTable.Of(PointSummary.Of(session.Run(2, null, CancellationToken.None)));
        var numa = Array.IndexOf(table.Headers.ToArray(), "NUMA hints (remote)/migrations/passes");
        Assert.True(numa >= 0, string.Join(", ", table.Headers));
        Assert.All(table.Rows, r => Assert.Matches(@"^[\d,]+ \([\d,]+\)/[\d,]+/[\d,]+$", r[numa]));
        // The sweep (migrate interval × kernel profile) moves the NUMA figures, so no policy is noted as unchanged by it.
        Assert.True(table.Rows.Select(r => r[numa]).Distinct().Count() > 1, string.Join(" | ", table.Rows.Select(r => r[numa])));
        Assert.DoesNotContain(table.Notes, n => n.StartsWith("nofault: all", StringComparison.Ordinal));
    }

    [Fact]
    public void ForkExec_TableHasNoNumaColumn_AndNoIdenticalNote()
    {
        var session = ExperimentSession.Prepare(null, new[] { "workload.fork-exec.execs=3" });
        var table = SummaryTable.Of(PointSummary.Of(session.Run(2, null, CancellationToken.None)));
        Assert.DoesNotContain("NUMA hints (remote)/migrations/passes", table.Headers);
        Assert.Empty(table.Notes);
    }
}
