using ActorKernel.Model;
using ActorKernel.Actors.Engine;
using ActorKernel.Actors.Machine;
using ActorKernel.Actors.Probe;
using ActorKernel.Actors.Tests.Scenarios;
using ActorKernel.Actors.Workloads;
using Akka.Actor;

namespace ActorKernel.Actors.Tests.Machine;

/// <summary>The one entry point that runs a machine spec on a lane: the engine settings it takes from the spec, and the outcome it returns.</summary>
public sealed class MachineRunTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("machine-run");

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    private static MachineSpec Spec(long? pageTablesAtNs, params string[] overrides)
    {
        var s = ForkExecRuns.Settings(["workload.fork-exec.execs=3", .. overrides]);
        return new MachineSpec(s, ProbePolicy.NoFault, WorkloadCatalog.For(s), PageTablesAtNs: pageTablesAtNs);
    }

    [Fact]
    public void Run_Succeeds_WithTheMachinesMetrics_AndNoPageTablesUnlessAsked()
    {
        var outcome = MachineRun.Run(new SimLane(_system, 0), Spec(null), 1);

        Assert.True(outcome.Succeeded, outcome.Failure);
        Assert.NotNull(outcome.Metrics);
        Assert.Equal(3, outcome.Metrics.ByTarget[ProbeTargets.Filename].Total); // one filename read per exec
        Assert.Empty(outcome.PageTables);
        Assert.True(outcome.Events > 0 && outcome.VirtualTimeNs > 0);
    }

    [Fact]
    public void Run_WithPageTablesAt_ReturnsEachLiveMmsPageTable()
    {
        var outcome = MachineRun.Run(new SimLane(_system, 0), Spec(1), 1);

        Assert.True(outcome.Succeeded, outcome.Failure);
        Assert.Contains(outcome.PageTables, t => t.MmId == 1 && t.Rows.Count > 0);
    }

    [Fact]
    public void Run_TakesTheEventBoundFromTheSpecsSettings_AFailedRunHasNoResult()
    {
        var outcome = MachineRun.Run(new SimLane(_system, 0), Spec(null, "engine.max-events=10"), 1);

        Assert.False(outcome.Succeeded);
        Assert.Contains("more than 10 events", outcome.Failure);
        Assert.Null(outcome.Result);
        Assert.Null(outcome.Metrics);
        Assert.Empty(outcome.PageTables);
    }

    [Fact]
    public void StartThenFinish_EndsLikeRun()
    {
        var spec = Spec(null);
        var whole = MachineRun.Run(new SimLane(_system, 0), spec, 5);

        using var run = MachineRun.Start(new SimLane(_system, 1), spec, 5);
        run.RunUntilTime(whole.VirtualTimeNs / 2);
        var stepped = MachineRun.Finish(run);

        Assert.Equal((whole.Events, whole.VirtualTimeNs, whole.Metrics!.ReadsFailed), (stepped.Events, stepped.VirtualTimeNs, stepped.Metrics!.ReadsFailed));
    }
}
