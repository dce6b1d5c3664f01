using ActorKernel.Actors.Metrics;
using ActorKernel.Actors.Workloads;
using ActorKernel.Model;

namespace ActorKernel.TestKit.Tests.Examples;

/// <summary>The seed's Case 2: automatic NUMA balancing leaves rarely touched pages PROT_NONE.</summary>
public sealed class SeedCase2Tests : ScenarioTestKit
{
    [Fact]
    public void AfterTheFirstScanPass_TheIdleBufferIsProtNone_AndTheProbeFails()
    {
        // Four threads, one busy: task_numa_work() runs after about scan-delay (1 s) of its runtime.
        using var s = Scenario()
            .Kernel("6.18")
            .NumaIdle(("threads", "4"), ("busy-threads", "1"), ("duration-s", "4"))
            .Build();

        var pass = s.RunUntil<NumaScanPassFinished>(p => p.PtesUpdated > 0);
        Assert.InRange(pass.StartNs, 1_000_000_000L, 1_500_000_000L);

        var read = s.RunUntil<ProbeReadCompleted>(r => r.Target == NumaIdleTargets.IdleBuffer && r.AtNs > pass.EndNs);
        Assert.False(read.Ok);
        Assert.Equal(FailureCause.NumaProtNone, read.Cause);

        // pagemap cannot tell why: it reports the hint PTE as present.
        var row = s.PageTable(pass.MmId).Single(r => r.Vpn == Pages.Vpn(read.Addr));
        Assert.Equal((PteState.ProtNone, true), (row.State, row.PagemapPresent));
    }

    [Fact]
    public void APassRacingTheProbe_TheKernelTouchedBufferFailsOnce_ThenTheKernelsCopyRepairsIt()
    {
        using var s = Scenario()
            .NumaIdle(("threads", "4"), ("busy-threads", "1"), ("duration-s", "4"))
            .Build();

        var pass = s.RunUntil<NumaScanPassFinished>(p => p.PtesUpdated > 0);
        // openat's path: the probe at sys_enter_openat runs before getname() copies it.
        var first = s.RunUntil<ProbeReadCompleted>(r => r.Target == NumaIdleTargets.KernelTouchedBuffer && r.AtNs > pass.EndNs);
        var second = s.RunUntil<ProbeReadCompleted>(r => r.Target == NumaIdleTargets.KernelTouchedBuffer && r.Addr == first.Addr && r.AtNs > first.AtNs);

        Assert.Equal(FailureCause.NumaProtNone, first.Cause);
        // getname() took the hint fault right after the first read: the next read finds the PTE present.
        Assert.True(second.Ok, $"second read at {second.AtNs} ns failed with {second.Cause}");
    }

    [Fact]
    public void ASingleThreadedBusyProcess_IsScanned_ButNothingFails()
    {
        // 4.10+: pages already on the local node of a single-threaded process are skipped.
        using var s = Scenario()
            .NumaIdle(("threads", "1"), ("busy-threads", "1"), ("duration-s", "4"))
            .Build();

        s.ExpectNoProbeReadFailure();
        Assert.Contains(s.Observations.OfType<NumaScanPassFinished>(), p => p.PtesUpdated == 0);
    }

    [Fact]
    public void UnderTheProposal_TheHintFaultIsResolvedInPlace_AndTheIdleBufferReads()
    {
        // trylock-minor: a PROT_NONE PTE is a minor fault; with the mmap lock uncontended the probe
        // restores the PTE in place (do_numa_page without migration) and reads.
        using var s = Scenario()
            .Policy(ProbePolicy.TrylockMinor)
            .NumaIdle(("threads", "4"), ("busy-threads", "1"), ("duration-s", "4"))
            .Build();

        var pass = s.RunUntil<NumaScanPassFinished>(p => p.PtesUpdated > 0);
        var read = s.RunUntil<ProbeReadCompleted>(r => r.Target == NumaIdleTargets.IdleBuffer && r.AtNs > pass.EndNs);

        Assert.True(read.Ok, $"read failed with {read.Cause}");
        Assert.Equal(PteState.Present, s.PteAt(pass.MmId, read.Addr));
    }
}
