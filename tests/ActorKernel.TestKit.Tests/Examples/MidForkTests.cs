using ActorKernel.Actors.Fork;
using ActorKernel.Actors.Locking;
using ActorKernel.Model;

namespace ActorKernel.TestKit.Tests.Examples;

/// <summary>Pausing a run while dup_mmap holds the parent's mmap_lock for write.</summary>
public sealed class MidForkTests : ScenarioTestKit
{
    [Fact]
    public void WhileDupMmapCopiesVmas_TheParentsLockIsHeldForWrite_AndTheChildHasOnlyTheVmasCopiedSoFar()
    {
        using var s = Scenario()
            .Process(p => p
                .String("path", RegionKind.Rodata, 5, "/usr/bin/true")
                .PointerArray("argv", RegionKind.Stack, 28, "path")
                .Thread(t => t.Read("path").Fork(child => child.Exec("path", "argv")).WaitChild()))
            .Build();

        var firstStep = s.RunUntil<ForkStepObserved>();
        var lockHeld = s.Observations.OfType<MmapLockObserved>().Last();
        Assert.Equal((MmapLockChange.Acquired, true, 1), (lockHeld.Change, lockHeld.Write, lockHeld.MmId));
        Assert.False(firstStep.Last);

        // The child's address space is still being built: only the first VMA exists in it.
        s.RunUntil<ForkStepObserved>(step => step.Vma == "prog .rodata");
        var released = s.RunUntil<MmapLockObserved>(l => l.MmId == 1 && l.Change == MmapLockChange.Released && l.Write);
        Assert.True(released.AtNs > firstStep.AtNs);

        // After the fork, the probe in the child fails on the string the parent had read.
        s.ExpectProbeReadFailure(ProbeTargets.Filename, FailureCause.ForkSkippedPte);
        s.ExpectProbeReadOk(ProbeTargets.ArgvArray);
    }

    [Fact]
    public void ThePageTableViewShowsWhatTheChildLacks()
    {
        using var s = Scenario()
            .Process(p => p
                .String("path", RegionKind.Rodata, 5, "/usr/bin/true")
                .PointerArray("argv", RegionKind.Stack, 28, "path")
                .Thread(t => t.Read("path").Fork(child => child.Sleep(1_000_000).Exec("path", "argv")).WaitChild()))
            .Build();

        s.RunUntil<ForkStepObserved>(step => step.Last);
        s.Advance(10_000);
        var path = s.Image(1).Addr("path");
        Assert.Equal(PteState.Present, s.PteAt(1, path));
        Assert.Equal(PteState.None, s.PteAt(2, path));
        s.Finish();
    }
}
