using ActorKernel.Actors.Metrics;
using Akka.Actor;

namespace ActorKernel.Actors.Tests.Scenarios;

public sealed class DeterminismTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("determinism");

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    [Fact]
    public void SameSeedSameSettings_SameMetricsEventsAndVirtualTime()
    {
        var s = ForkExecRuns.Settings("workload.fork-exec.execs=30", "workload.fork-exec.parent-threads=3", "machine.cpus-per-node=4");
        var a = ForkExecRuns.Run(_system, s, seed: 42);
        var b = ForkExecRuns.Run(_system, s, seed: 42, lane: 1);
        Assert.True(a.Succeeded, a.Failure);
        Assert.Equal(a.Events, b.Events);
        Assert.Equal(a.VirtualTimeNs, b.VirtualTimeNs);
        Assert.Equal(Canonical(a.Metrics!), Canonical(b.Metrics!));
    }

    // Records print nested dictionaries by type name: spell every figure out.
    private static string Canonical(RunMetrics m) =>
        m with { ByCause = new Dictionary<string, long>(), ByTarget = new Dictionary<string, TargetCounts>() } + "|" +
        string.Join(",", m.ByCause.Select(kv => $"{kv.Key}={kv.Value}")) + "|" +
        string.Join(",", m.ByTarget.Select(kv => $"{kv.Key}={kv.Value}"));
}
