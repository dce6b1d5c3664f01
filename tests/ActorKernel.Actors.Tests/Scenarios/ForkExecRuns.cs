using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Engine;
using ActorKernel.Actors.Machine;
using ActorKernel.Actors.Metrics;
using ActorKernel.Actors.Workloads;
using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Tests.Scenarios;

/// <summary>Runs the fork-exec workload on a lane with settings given as --set style overrides.</summary>
internal static class ForkExecRuns
{
    public static ActorKernelSettings Settings(params string[] overrides) =>
        SettingsLoader.Load(null, overrides);

    public static MachineRunOutcome Run(ActorSystem system, ActorKernelSettings s, ulong seed = 1, bool publish = false, int lane = 0) =>
        MachineRun.Run(new SimLane(system, lane), new MachineSpec(s, ProbePolicy.NoFault, WorkloadCatalog.For(s)), seed, publish ? system.EventStream : null);

    public static RunMetrics Metrics(ActorSystem system, params string[] overrides)
    {
        var outcome = Run(system, Settings(overrides));
        Assert.True(outcome.Succeeded, outcome.Failure);
        return outcome.Metrics!;
    }

    /// <summary>A target's reads and failed reads in a run (0, 0 when it had none).</summary>
    public static (long Total, long Failed) Target(RunMetrics m, string name) =>
        m.ByTarget.TryGetValue(name, out var t) ? (t.Total, t.Failed) : (0, 0);
}
