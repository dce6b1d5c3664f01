namespace ActorKernelScenarios;

// ActorKernel.TestKit puts ActorKernel.TestKit, ActorKernel.Model, the actor namespaces a test
// observes and Xunit in this project's global usings: no using is needed here.
public sealed class SeedCaseTests : ScenarioTestKit
{
    [Fact]
    public void Case1_TheForkChildExecsWithRodataStrings_TheProbeAtSysEnterExecveFails()
    {
        // The parent read its .rodata strings, then forks; the child execs with them at once.
        using var s = Scenario()
            .Kernel(KernelVersion.Linux6_18)
            .ForkExec(new ForkExecOptions { Spawn = SpawnMethod.Fork, Strings = StringsRegion.Rodata, ParentTouchesStrings = true, Execs = 1 })
            .Build();

        s.ExpectProbeReadFailure(ProbeTargets.Filename, FailureCause.ForkSkippedPte);
        s.ExpectProbeReadOk(ProbeTargets.ArgvArray);
        s.ExpectProbeReadFailure(ProbeTargets.Argv, FailureCause.ForkSkippedPte);
    }

    [Fact]
    public void Case2_AfterANumaScanPass_TheIdleBufferIsProtNone_AndTheProbeFails()
    {
        using var s = Scenario()
            .Kernel(KernelVersion.Linux6_18)
            .NumaIdle(new NumaIdleOptions { Threads = 4, BusyThreads = 1, Duration = 4.Seconds() })
            .Build();

        var pass = s.RunUntil<NumaScanPassFinished>(p => p.PtesUpdated > 0);
        var read = s.RunUntil<ProbeReadCompleted>(r => r.Target == NumaIdleTargets.IdleBuffer && r.AtNs > pass.EndNs);

        Assert.Equal(FailureCause.NumaProtNone, read.Cause);
    }
}
