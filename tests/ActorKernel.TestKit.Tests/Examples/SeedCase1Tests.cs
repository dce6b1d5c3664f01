using ActorKernel.Actors.Metrics;
using ActorKernel.Model;

namespace ActorKernel.TestKit.Tests.Examples;

/// <summary>The seed's Case 1, told as a scenario.</summary>
public sealed class SeedCase1Tests : ScenarioTestKit
{
    [Fact]
    public void TheChildExecsWithRodataArgv_TheProbeAtSysEnterExecveFails_BecauseForkDidNotCopyThePte()
    {
        // The parent read its .rodata strings, then forks; the child execs with them at once.
        using var s = Scenario()
            .Kernel("6.18")
            .ForkExec(("spawn", "fork"), ("strings", "rodata"), ("parent-touches-strings", "on"), ("execs", "1"))
            .Build();

        s.ExpectProbeReadFailure(ProbeTargets.Filename, FailureCause.ForkSkippedPte);
        s.ExpectProbeReadOk(ProbeTargets.ArgvArray);
        s.ExpectProbeReadFailure(ProbeTargets.Argv, FailureCause.ForkSkippedPte);
    }

    [Fact]
    public void TheChildTouchesANeighbourPage_FaultAroundMapsTheStrings_AndTheProbeReadsThem()
    {
        using var s = Scenario()
            .ForkExec(("child-touches", "window-neighbour"), ("execs", "3"))
            .Build();

        s.ExpectNoProbeReadFailure();
    }

    [Fact]
    public void AnAkkaTestProbe_ObservesEveryReadFromOutsideTheRun()
    {
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe.Ref, typeof(ProbeReadCompleted));
        using var s = Scenario().ForkExec(("execs", "1")).Build();

        s.Finish();

        Assert.Equal(ProbeTargets.Filename, probe.ExpectMsg<ProbeReadCompleted>().Target);
        Assert.Equal(ProbeTargets.ArgvArray, probe.ExpectMsg<ProbeReadCompleted>().Target);
    }
}
