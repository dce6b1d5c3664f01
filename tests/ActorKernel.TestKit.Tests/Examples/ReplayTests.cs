using ActorKernel.Model;

namespace ActorKernel.TestKit.Tests.Examples;

public sealed class ReplayTests : ScenarioTestKit
{
    [Fact]
    public void AFailedExpectation_NamesTheSeedAndTheCommandThatReplaysIt()
    {
        using var s = Scenario().Seed(4242).ForkExec(("execs", "1")).Build();

        var e = Assert.Throws<ScenarioExpectationException>(() => s.ExpectProbeReadOk(ProbeTargets.Filename));

        Assert.Contains("seed 4242", e.Message);
        Assert.Contains("ACTORKERNEL_SEED=4242@1 dotnet test --filter \"FullyQualifiedName=ActorKernel.TestKit.Tests.Examples.ReplayTests.AFailedExpectation_NamesTheSeedAndTheCommandThatReplaysIt\"", e.Message);
        Assert.Contains("fork-skipped-pte", e.Message);
    }

    [Fact]
    public void ABadKey_IsAConfigErrorNamingIt()
    {
        var e = Assert.Throws<ActorKernel.Configuration.ConfigError>(() => Scenario().Set("workload.fork-exec.spwan", "fork").Build());
        Assert.Contains("workload.fork-exec.spawn", e.Message);
    }
}
