using System.Text;
using ActorKernel.Configuration;
using ActorKernel.Experiments.Session;

namespace ActorKernel.Experiments.Tests.Session;

public sealed class ExperimentSessionTests
{
    private static ExperimentSession Prepare(params string[] overrides) =>
        ExperimentSession.Prepare(null, new[] { "workload.fork-exec.execs=3" }.Concat(overrides).ToArray());

    private static string ResultsJson(ExperimentSession s, int parallelism)
    {
        var records = s.Run(parallelism, null, CancellationToken.None);
        return Encoding.UTF8.GetString(s.OutputFiles(records).Single(f => f.Name == "results.json").Content);
    }

    [Fact]
    public void DefaultExperiment_ExpandsTheSweepGridInWrittenOrder()
    {
        var s = Prepare();
        Assert.Equal(3 * 2 * 4, s.Plan.Runs.Count);
        Assert.Equal(new[] { "fork", "rodata", "none" }, s.Plan.Runs[0].Point.Select(p => p.Value));
        Assert.Equal(new[] { "fork", "rodata", "strings-page" }, s.Plan.Runs[1].Point.Select(p => p.Value));
    }

    [Fact]
    public void SameSeed_IdenticalResultsJson_WhateverTheParallelism()
    {
        Assert.Equal(ResultsJson(Prepare("experiment.seed=9"), 1), ResultsJson(Prepare("experiment.seed=9"), 2));
    }

    [Fact]
    public void RunSeeds_DependOnPointAndRepetition_NotOnPolicy()
    {
        var s = Prepare("experiment.runs-per-point=2");
        var seeds = s.Plan.Runs.Select(r => r.Seed).ToArray();
        Assert.Equal(seeds.Length, seeds.Distinct().Count());
        Assert.Equal(Prepare("experiment.runs-per-point=2").Plan.Runs.Select(r => r.Seed), seeds);
        Assert.NotEqual(Prepare("experiment.runs-per-point=2", "experiment.seed=2").Plan.Runs.Select(r => r.Seed), seeds);
    }

    [Fact]
    public void AnInvalidSweepValue_FailsBeforeAnythingRuns()
    {
        var e = Assert.Throws<ConfigError>(() => ExperimentSession.Prepare(null, new[] { "experiment.sweep.\"workload.fork-exec.spawn\"=[fork, clone3]" }));
        Assert.Contains("clone3", e.Message);
    }

    [Fact]
    public void DeferredWithTheNumaProbes_IsAConfigurationError_BeforeAnythingRuns()
    {
        // deferred re-reads at sched_process_exec; the numa-idle probes have no syscall-exit read.
        var e = Assert.Throws<ConfigError>(() => ExperimentSession.Prepare(null, new[]
        {
            "workload.fork-exec.enabled=off", "workload.numa-idle.enabled=on", "experiment.policies=[deferred]",
        }));
        Assert.Contains("numa-idle", e.Message);
    }
}
