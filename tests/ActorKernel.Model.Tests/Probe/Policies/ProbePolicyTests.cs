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
            Assert.Equal(sleeps, p.Requires.Contains(PolicyRequirement.SleepableFentry));
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
            "policy sleepable is not available at sys_enter_execve on kernel profile 4.14: it runs as a sleepable fentry/__x64_sys_execve program, and the profile has no sleepable BPF programs (kernel.features.sleepable-fentry = off; 5.10+)",
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

    // kernel/bpf/verifier.c can_be_sleepable() (6.8.0 line 20627, 6.18.2 line 23954): "Only
    // fentry/fexit/fmod_ret, lsm, iter, uprobe, and struct_ops programs can be sleepable" — never a
    // tracepoint, in either version; check_attach_btf_id() (6.8.0 line 20553, 6.18.2 line 23852) admits a
    // sleepable fentry on an error-injectable function, and arch/x86/include/asm/syscall_wrapper.h line 87
    // makes every __x64_sys_* one. So both profiles offer the policy, as fentry on the syscall entry.
    [Theory]
    [InlineData("6.8")]
    [InlineData("6.18")]
    public void Sleepable_On68And618_ExistsAsAnFentryOnTheSyscallEntry(string profile)
    {
        var k = profile == "6.8" ? Fixtures.Kernel68 : Fixtures.Kernel618;
        Assert.Null(ProbePolicy.Sleepable.Unavailable(Context(k, ForkExec, NumaIdle)));
        Assert.Equal("fentry/__x64_sys_execve", PolicyRequirement.FentryOf(Tracepoint.SysEnterExecve));
        Assert.Equal("fentry/__x64_sys_write", PolicyRequirement.FentryOf(Tracepoint.SysEnterWrite));
        Assert.Equal("fentry/__x64_sys_openat", PolicyRequirement.FentryOf(Tracepoint.SysEnterOpenat));
    }

    [Fact]
    public void Sleepable_NeedsSleepablePrograms_EvenOnAPerVmaLockKernel()
    {
        var k = Fixtures.Kernel618 with { SleepableFentry = false };
        Assert.Equal(
            "policy sleepable is not available at sys_enter_execve on kernel profile 6.18: it runs as a sleepable fentry/__x64_sys_execve program, and the profile has no sleepable BPF programs (kernel.features.sleepable-fentry = off; 5.10+)",
            ProbePolicy.Sleepable.Unavailable(Context(k, ForkExec)));
        Assert.Null(ProbePolicy.TrylockMinor.Unavailable(Context(k, ForkExec)));
    }

    [Fact]
    public void Sleepable_AtATracepointThatIsNoSyscallEntry_IsRefused()
    {
        var atExec = new WorkloadProbes("exec-watch", [new ProbedAttachPoint(Tracepoint.SchedProcessExec, null)]);
        Assert.Null(PolicyRequirement.FentryOf(Tracepoint.SchedProcessExec));
        Assert.Equal(
            "policy sleepable is not available at sched_process_exec: a tracepoint program cannot be sleepable (kernel/bpf/verifier.c can_be_sleepable()), and sched_process_exec is no syscall entry with an fentry in its place",
            ProbePolicy.Sleepable.Unavailable(Context(Fixtures.Kernel618, atExec)));
    }
}
