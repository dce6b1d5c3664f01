namespace ActorKernel.Model.Tests.Memory;

// mm/memory.c lock_mm_and_find_vma(): a fault needs the mmap lock; the task takes it for read only for the access that faults.
public class UserCopiesTests
{
    private static readonly UserCopy Filename = new(0x1000, 12, AccessKind.Read);
    private static readonly UserCopy Argv = new(0x2000, 16, AccessKind.Read);

    [Fact]
    public void OnlyTheAccessThatFaults_IsRetriedUnderTheLock_AndTheLockIsReleasedAfterIt()
    {
        var copies = new UserCopies();
        copies.Add(Filename);
        copies.Add(Argv);

        Assert.Equal(Filename, copies.Current);
        Assert.Equal(Filename, copies.LockGranted());
        Assert.True(copies.LockHeld);
        copies.AccessDone();
        Assert.Null(copies.Current);
        Assert.True(copies.StepDone());

        Assert.Equal(Argv, copies.Current);
        Assert.False(copies.LockHeld);
        copies.AccessDone();
        Assert.False(copies.StepDone());
        Assert.Null(copies.Current);
        Assert.Equal(0, copies.Pending);
    }

    [Fact]
    public void ProtocolErrors_BreakInvariants()
    {
        var copies = new UserCopies();
        Assert.Throws<ModelInvariantException>(() => copies.LockGranted());
        Assert.Throws<ModelInvariantException>(() => copies.AccessDone());
        Assert.Throws<ModelInvariantException>(() => copies.StepDone());
        copies.Add(Filename);
        copies.LockGranted();
        Assert.Throws<ModelInvariantException>(() => copies.LockGranted());
    }
}
