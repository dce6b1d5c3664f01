namespace ActorKernel.Model.Tests.Probe.Policies;

/// <summary>The policy registry: one description per policy, what each says, and the rules every description must keep.</summary>
public class ProbePolicyTests
{
    private static readonly WorkloadProbes ForkExec = new("fork-exec", [ProbedAttachPoint.Execve]);

    private static readonly WorkloadProbes NumaIdle = new("numa-idle",
        [new ProbedAttachPoint(Tracepoint.SysEnterWrite, null), new ProbedAttachPoint(Tracepoint.SysEnterOpenat, null)]);

    private static PolicyContext Context(KernelProfile k, params WorkloadProbes[] workloads) => new(k, Tracepoint.SysEnterExecve, workloads);

    [Fact]
    public void Registry_ListsEveryPolicyOnce_InResultsOrder()
    {
        Assert.Equal(["nofault", "trylock-minor", "trylock-vma", "sleepable", "deferred"], ProbePolicy.Names);
        Assert.Equal(ProbePolicy.All.Count, ProbePolicy.All.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, ProbePolicy.All.Count), ProbePolicy.All.Select(p => p.Index));
        Assert.Equal(ProbePolicy.All, ProbePolicy.All.Reverse().Order());
    }

    [Fact]
    public void Named_FindsEachPolicy_AndRefusesAnUnknownName()
    {
        foreach (var p in ProbePolicy.All) Assert.Same(p, ProbePolicy.Named(p.Name));
        var e = Assert.Throws<ArgumentException>(() => ProbePolicy.Named("trylock"));
        Assert.Contains("one of nofault, trylock-minor, trylock-vma, sleepable, deferred", e.Message);
    }

    [Theory]
    [InlineData("nofault", ProbeLocking.None, InPlaceFaults.None, ProbeReadPoint.AtEntry)]
    [InlineData("trylock-minor", ProbeLocking.MmapTrylock, InPlaceFaults.Minor, ProbeReadPoint.AtEntry)]
    [InlineData("trylock-vma", ProbeLocking.VmaTrylock, InPlaceFaults.Minor, ProbeReadPoint.AtEntry)]
    [InlineData("sleepable", ProbeLocking.MmapBlocking, InPlaceFaults.MinorAndMajor, ProbeReadPoint.AtEntry)]
    [InlineData("deferred", ProbeLocking.None, InPlaceFaults.None, ProbeReadPoint.Deferred)]
    public void EachPolicy_SaysWhatItLocks_Resolves_AndWhereItReads(string name, ProbeLocking locks, InPlaceFaults resolves, ProbeReadPoint reads)
    {
        var p = ProbePolicy.Named(name);
        Assert.Equal((locks, resolves, reads), (p.Locks, p.Resolves, p.Reads));
    }

    [Fact]
    public void InPlaceRules_FollowWhatThePolicyResolves()
    {
        Assert.Equal(new InPlaceRules(AllowMajor: false, AllowAlloc: false), ProbePolicy.TrylockMinor.InPlaceRules(allowAlloc: false));
        Assert.Equal(new InPlaceRules(AllowMajor: false, AllowAlloc: true), ProbePolicy.TrylockVma.InPlaceRules(allowAlloc: true));
        Assert.Equal(InPlaceRules.Full, ProbePolicy.Sleepable.InPlaceRules(allowAlloc: false));
        Assert.Throws<InvalidOperationException>(() => ProbePolicy.NoFault.InPlaceRules(allowAlloc: true));
    }

    // What a new policy's description must keep: the probe reader and the availability checks rely on it.
    [Fact]
    public void EveryDescription_IsConsistent()
    {
        foreach (var p in ProbePolicy.All)
        {
            Assert.Matches("^[a-z][a-z0-9-]*$", p.Name);
            Assert.False(string.IsNullOrWhiteSpace(p.Summary), p.Name);
            Assert.True((p.Locks == ProbeLocking.None) == (p.Resolves == InPlaceFaults.None), $"{p.Name}: a policy resolves faults in place exactly when it takes a lock");
            var sleeps = p.Locks == ProbeLocking.MmapBlocking || p.Resolves == InPlaceFaults.MinorAndMajor;
            Assert.Equal(sleeps, p.Requires.Contains(PolicyRequirement.SleepableAttachPoints));
            Assert.Equal(sleeps, p.Requires.Contains(PolicyRequirement.SleepablePrograms));
            Assert.Equal(p.Locks == ProbeLocking.VmaTrylock, p.Requires.Contains(PolicyRequirement.PerVmaLocks));
            Assert.Equal(p.Reads == ProbeReadPoint.Deferred, p.Requires.Contains(PolicyRequirement.DeferredPointEverywhere));
            Assert.Equal(p.Reads == ProbeReadPoint.Deferred, p.Reports.HasFlag(PolicyFigures.StaleReads));
            Assert.Equal(p.Locks == ProbeLocking.VmaTrylock, p.Reports.HasFlag(PolicyFigures.VmaLocks));
            Assert.Equal(p.Locks == ProbeLocking.MmapTrylock, p.Reports.HasFlag(PolicyFigures.MmapTrylocks));
            Assert.Equal(p.Locks != ProbeLocking.None, p.Reports.HasFlag(PolicyFigures.WorkloadDelay));
        }
    }

    [Fact]
    public void On618_EveryPolicyExists()
    {
        foreach (var p in ProbePolicy.All) Assert.Null(p.Unavailable(Context(Fixtures.Kernel618, ForkExec)));
    }

    [Fact]
    public void On414_SleepableAndTrylockVmaAreRefused_InOneLineNamingProfileAndAttachPoint()
    {
        var c = Context(Fixtures.Kernel414, ForkExec);
        Assert.Equal(
            "policy sleepable is not available at sys_enter_execve on kernel profile 4.14: it has no faultable syscall tracepoints (kernel.features.faultable-syscall-tracepoints = off), so a program there cannot sleep",
            ProbePolicy.Sleepable.Unavailable(c));
        Assert.Equal(
            "policy trylock-vma is not available at sys_enter_execve on kernel profile 4.14: it has no per-VMA locks (kernel.features.per-vma-locks = off)",
            ProbePolicy.TrylockVma.Unavailable(c));
        Assert.Null(ProbePolicy.NoFault.Unavailable(c));
        Assert.Null(ProbePolicy.TrylockMinor.Unavailable(c));
        Assert.Null(ProbePolicy.Deferred.Unavailable(c));
    }

    [Fact]
    public void Deferred_IsRefusedWhenAWorkloadDeclaresAttachPointsWithoutALaterPoint()
    {
        Assert.Equal(
            "policy deferred re-reads execve's arguments at sched_process_exec; the numa-idle workload's sys_enter_write/sys_enter_openat probes have no deferred (syscall-exit) read in this model: choose another policy or set workload.numa-idle.enabled = off",
            ProbePolicy.Deferred.Unavailable(Context(Fixtures.Kernel618, ForkExec, NumaIdle)));
        Assert.Null(ProbePolicy.TrylockMinor.Unavailable(Context(Fixtures.Kernel618, NumaIdle)));
    }

    [Fact]
    public void Sleepable_NeedsSleepablePrograms_AsWellAsAFaultableAttachPoint()
    {
        var k = Fixtures.Kernel618 with { SleepableFentry = false };
        Assert.Equal(
            "policy sleepable is not available at sys_enter_execve on kernel profile 6.18: it has no sleepable BPF programs (kernel.features.sleepable-fentry = off), so no bpf_copy_from_user()",
            ProbePolicy.Sleepable.Unavailable(Context(k, ForkExec)));
        Assert.Null(ProbePolicy.TrylockMinor.Unavailable(Context(k, ForkExec)));
    }

    [Fact]
    public void Sleepable_WithFaultableTracepoints_ButNotPerVmaLocks_StillExists()
    {
        var k = Fixtures.Kernel414 with { FaultableSyscallTracepoints = true, SleepableFentry = true };
        Assert.Null(ProbePolicy.Sleepable.Unavailable(Context(k, ForkExec, NumaIdle)));
        Assert.NotNull(ProbePolicy.TrylockVma.Unavailable(Context(k, ForkExec)));
    }
}
