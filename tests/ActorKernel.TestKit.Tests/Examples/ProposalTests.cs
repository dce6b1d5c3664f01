using ActorKernel.Actors.Locking;
using ActorKernel.Model;

namespace ActorKernel.TestKit.Tests.Examples;

/// <summary>The seed's proposal (trylock-minor): handle the minor fault in place unless the mmap lock is contended.</summary>
public sealed class ProposalTests : ScenarioTestKit
{
    [Fact]
    public void Uncontended_AForkChildsRodataFault_IsResolvedInPlace()
    {
        // The child's mm is fresh and single-threaded: nobody else takes its mmap lock.
        using var s = Scenario()
            .Policy(ProbePolicy.TrylockMinor)
            .ForkExec(("spawn", "fork"), ("strings", "rodata"), ("execs", "3"))
            .Build();

        s.ExpectNoProbeReadFailure();
    }

    [Fact]
    public void Contended_APosixSpawnChildOnTheLaunchersMm_FailsWhileChurnWriteLocksIt()
    {
        // The posix_spawn child runs on the launcher's mm, which two churn threads write-lock.
        using var s = Scenario()
            .Seed(3)
            .Policy(ProbePolicy.TrylockMinor)
            .Set("image.rodata-pages", "672")
            .ForkExec(("spawn", "posix-spawn"), ("strings-placement", "fresh-window-per-exec"),
                ("parent-touches-strings", "off"), ("execs", "40"), ("cycle-interval-us", "200"))
            .MmapChurn(("process", "fork-exec-parent"), ("ops-per-s", "150000"))
            .Build();

        var failed = s.RunUntil<Actors.Metrics.ProbeReadCompleted>(r => !r.Ok);
        Assert.Equal(FailureCause.MmapLockContended, failed.Cause);
        var trylock = s.Observations.OfType<MmapLockObserved>().Last(l => l.Change == MmapLockChange.TrylockFailed);
        Assert.Equal(failed.AtNs, trylock.AtNs);
    }

    [Fact]
    public void AHandoff_StarvesTheProbesTrylock()
    {
        // A writer holds the lock 6 ms; a reader queues behind it and, after RWSEM_WAIT_TIMEOUT (4 ms),
        // the handoff bit is set: down_read_trylock() must fail even for a reader.
        using var s = Scenario()
            .Policy(ProbePolicy.TrylockMinor)
            .Process(p => p
                .String("path", RegionKind.Rodata, 5, "/usr/bin/true")
                .PointerArray("argv", RegionKind.Stack, 28, "path")
                .Thread(t => t.HoldMmapLock(write: true, 6_000_000))
                // A reader of the mmap_lock itself: a user-mode read fault would take the VMA's own lock on
                // 6.18 (lock_vma_under_rcu()) and never queue on the mmap_lock.
                .Thread(t => t.Sleep(1_000).HoldMmapLock(write: false, 1_000))
                .Thread(t => t.Sleep(5_000_000).Vfork(child => child.Exec("path", "argv")).WaitChild()))
            .Build();

        s.ExpectProbeReadFailure(ProbeTargets.Filename, FailureCause.MmapLockContended);
        var trylock = s.Observations.OfType<MmapLockObserved>().Single(l => l.Change == MmapLockChange.TrylockFailed);
        Assert.True(trylock.HandoffSet);
    }
}
