using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Machine;
using ActorKernel.Actors.Metrics;
using ActorKernel.Actors.Workloads;
using ActorKernel.Actors.Engine;
using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Tests.Scenarios;

/// <summary>
/// The fault-handling policies through the actors (kernel-model.md §4, §5): a launcher whose
/// posix_spawn children exec with .rodata strings it never touched (a minor fault away), while
/// churn threads of the same process write-lock its mm.
/// </summary>
public sealed class PolicyScenarioTests : IDisposable
{
    private const int Execs = 20;
    private readonly ActorSystem _system;
    private readonly SimLane _lane;

    public PolicyScenarioTests()
    {
        _system = ActorSystem.Create("policy-scenarios");
        _lane = new SimLane(_system, 0);
    }

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    private static readonly string[] Launcher =
    {
        $"workload.fork-exec.execs={Execs}", "kernel.profile=\"6.18\"", "image.rodata-pages=704",
        "workload.fork-exec.spawn=posix-spawn", "workload.fork-exec.strings=rodata",
        "workload.fork-exec.strings-placement=fresh-window-per-exec", "workload.fork-exec.parent-touches-strings=off",
        "workload.fork-exec.cycle-interval-us=200",
    };

    private static readonly string[] HeavyChurn =
    {
        "workload.mmap-churn.enabled=on", "workload.mmap-churn.threads=2", "workload.mmap-churn.ops-per-s=150000",
    };

    private RunMetrics Run(ProbePolicy policy, params string[] overrides)
    {
        var s = ForkExecRuns.Settings(Launcher.Concat(overrides).ToArray());
        var outcome = MachineRun.Run(_lane, new MachineSpec(s, policy, WorkloadCatalog.For(s)), 1);
        Assert.True(outcome.Succeeded, outcome.Failure);
        return outcome.Metrics!;
    }

    [Fact]
    public void NoFault_UntouchedRodata_FilenameAndArgvFail_NotMapped()
    {
        var m = Run(ProbePolicy.NoFault);
        Assert.Equal(Execs * 4, m.ReadsFailed);
        Assert.Equal(m.ReadsFailed, m.ByCause["not-mapped"]);
        Assert.Equal(0, m.ByTarget["argv-array"].Failed);
    }

    // fresh-window-per-exec gives every exec its own fault-around window, whatever mm.fault-around-bytes:
    // the previous exec's copy_from_user fault never maps the next exec's strings.
    [Theory]
    [InlineData(32768)]
    [InlineData(131072)]
    public void NoFault_FreshWindowPerExec_FollowsTheFaultAroundWindow(int faultAroundBytes)
    {
        var m = Run(ProbePolicy.NoFault, $"mm.fault-around-bytes={faultAroundBytes}");
        Assert.Equal(Execs * 4, m.ReadsFailed);
        Assert.Equal(m.ReadsFailed, m.ByCause["not-mapped"]);
    }

    [Fact]
    public void TrylockMinor_NoContention_MinorFaultResolvedInPlace_NothingFails()
    {
        // The filename's fault maps the whole 16-page fault-around window, argv included.
        var m = Run(ProbePolicy.TrylockMinor);
        Assert.Equal(0, m.ReadsFailed);
        Assert.Equal(Execs, m.Policy.Locks.TrylockAttempts);
        Assert.Equal(0, m.Policy.Locks.TrylockFailures);
    }

    [Fact]
    public void TrylockMinor_ChurnInTheSameProcess_FailsContended()
    {
        var m = Run(ProbePolicy.TrylockMinor, HeavyChurn);
        Assert.True(m.ReadsFailed > 0);
        Assert.Equal(m.ReadsFailed, m.ByCause["mmap-lock-contended"]);
        Assert.Equal(m.ReadsFailed, m.Policy.Locks.TrylockFailures);
        // A probe whose trylock succeeds holds the lock for read while it resolves the fault: writers
        // that queue meanwhile are delayed by it, and that part of their wait cannot exceed the whole wait.
        var d = m.Policy.Delay;
        Assert.True(d.WritersDelayedByProbe > 0, $"no writer delayed by a probe among {d.WriterOps}");
        Assert.InRange(d.WriterWaitByProbeNsTotal, 1, d.WriterWaitNsTotal);
    }

    [Fact]
    public void TrylockMinor_ChurnInItsOwnProcess_NeverContends()
    {
        // The churn threads' lock is their own mm's, not the launcher's.
        var m = Run(ProbePolicy.TrylockMinor, HeavyChurn.Append("workload.mmap-churn.process=own").ToArray());
        Assert.Equal(0, m.ReadsFailed);
        Assert.True(m.Policy.Delay.ChurnOps > 0);
    }

    [Fact]
    public void TrylockMinor_ForkChild_FreshMm_SucceedsDespiteChurnInTheParent()
    {
        // kernel/fork.c: the child's mm is new and single-threaded; nobody else takes its mmap lock.
        var m = Run(ProbePolicy.TrylockMinor, HeavyChurn.Concat(new[]
        {
            "workload.fork-exec.spawn=fork", "workload.fork-exec.strings-placement=fixed", "workload.fork-exec.parent-touches-strings=on",
        }).ToArray());
        Assert.Equal(0, m.ReadsFailed);
        Assert.True(m.Policy.Locks.TrylockAttempts >= Execs);
    }

    [Fact]
    public void TrylockMinor_ColdPage_MajorFault_SleepableResolvesIt()
    {
        // A fork child: the launcher's own mm never maps the page, so it can be evicted before every cycle.
        string[] cold = { "workload.fork-exec.spawn=fork", "workload.fork-exec.strings-placement=fixed", "workload.fork-exec.strings-page-cache=cold" };
        var trylock = Run(ProbePolicy.TrylockMinor, cold);
        Assert.Equal(Execs * 4, trylock.ByCause["major-fault"]);
        var sleepable = Run(ProbePolicy.Sleepable, cold);
        Assert.Equal(0, sleepable.ReadsFailed);
        Assert.Equal(Execs, sleepable.MajorFaults);
    }

    [Fact]
    public void Sleepable_UnderChurn_NeverFails_ButWaitsAndDelaysWriters()
    {
        var quiet = Run(ProbePolicy.Sleepable);
        var busy = Run(ProbePolicy.Sleepable, HeavyChurn);
        Assert.Equal(0, busy.ReadsFailed);
        Assert.True(busy.Policy.Locks.ReadWaitNsTotal > 0);
        Assert.True(busy.ProbeLatencyNs.Max > quiet.ProbeLatencyNs.Max);
        Assert.True(busy.Policy.Delay.WriterWaitByProbeNsTotal > 0);
    }

    [Fact]
    public void TrylockVma_FailsOnlyWhileForkWriteLocksTheVmas()
    {
        // Forks arrive at random (~12% of the time in dup_mmap's VMA walk); fork-base-ns = 0 keeps the
        // whole write hold inside the walk. The argv array sits in .data.rel.ro: a stack array would be
        // write-protected by each fork (CoW), and the launcher's write fault would wait for the fork
        // to end, lining every probe up just after one.
        string[] forkOnly =
        {
            "costs.fork-base-ns=0", "workload.fork-exec.argv-array=relro",
            "workload.mmap-churn.enabled=on", "workload.mmap-churn.ops-per-s=20000", "workload.mmap-churn.mix.mmap=0",
            "workload.mmap-churn.mix.munmap=0", "workload.mmap-churn.mix.mprotect=0", "workload.mmap-churn.mix.brk=0", "workload.mmap-churn.mix.fork=1",
        };
        var m = Run(ProbePolicy.TrylockVma, forkOnly);
        Assert.True(m.ReadsFailed > 0, $"no vma-locked failure in {m.Policy.Locks.VmaReadAttempts} attempts");
        Assert.Equal(m.ReadsFailed, m.ByCause["vma-locked"]);
        Assert.Equal(m.ReadsFailed, m.Policy.Locks.VmaReadFailures);

        // Without vma_start_write() in dup_mmap (before 6.5), the VMA lock is never write-locked by fork.
        var noVmaLocking = Run(ProbePolicy.TrylockVma, forkOnly.Append("kernel.features.fork-write-locks-vmas=off").ToArray());
        Assert.Equal(0, noVmaLocking.ReadsFailed);
    }

    [Fact]
    public void TrylockVma_MmapMunmapMprotectChurn_DoesNotTouchTheStringsVma()
    {
        var m = Run(ProbePolicy.TrylockVma, HeavyChurn.Append("workload.mmap-churn.mix.fork=0").ToArray());
        Assert.Equal(0, m.ReadsFailed);
    }

    [Fact]
    public void Deferred_ReadsTheNewMmAtSchedProcessExec_NoFailure_NoStaleness()
    {
        var m = Run(ProbePolicy.Deferred, HeavyChurn);
        Assert.Equal(0, m.ReadsFailed);
        Assert.Equal(Execs * 5, m.ReadsTotal);
        // execve copies the arguments verbatim: what the exit point reads equals what was there at entry.
        Assert.Equal(Execs * 4, m.Policy.DeferredReads);
        Assert.Equal(0, m.Policy.StaleReads);
    }

    [Fact]
    public void Sleepable_On414_TheMachineFailsTheRun_NamingProfileAndAttachPoint()
    {
        var s = ForkExecRuns.Settings("kernel.profile=\"4.14\"");
        var spec = new MachineSpec(s, ProbePolicy.Sleepable, WorkloadCatalog.For(s));
        var outcome = _lane.Run(sim => MachineActor.Props(sim, spec), 1, s.Engine.Interleaving, s.Engine.MaxEvents);
        Assert.False(outcome.Succeeded);
        Assert.StartsWith("policy sleepable is not available at sys_enter_execve on kernel profile 4.14: it runs as a sleepable fentry/__x64_sys_execve program", outcome.Failure);
    }

    [Fact]
    public void SameSeed_SameFigures()
    {
        var a = Run(ProbePolicy.TrylockMinor, HeavyChurn);
        var b = Run(ProbePolicy.TrylockMinor, HeavyChurn);
        Assert.Equal((a.ReadsFailed, a.Policy.Locks, a.Policy.Delay), (b.ReadsFailed, b.Policy.Locks, b.Policy.Delay));
    }
}
