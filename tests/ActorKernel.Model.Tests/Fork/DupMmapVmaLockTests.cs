using static ActorKernel.Model.Tests.Fixtures;

namespace ActorKernel.Model.Tests.Fork;

/// <summary>kernel/fork.c dup_mmap() on 6.5+: vma_start_write() each parent VMA before copying it.</summary>
public sealed class DupMmapVmaLockTests
{
    [Fact]
    public void NextVma_IsTheVmaTheNextStepCopies()
    {
        var parent = new AddressSpace(1);
        var a = AnonVma(Base, 2, name: "a");
        var b = AnonVma(Base + 0x10_0000, 2, name: "b");
        parent.AddVma(a);
        parent.AddVma(b);
        var dup = DupMmap.Begin(parent, 2, Kernel618);
        Assert.Same(a, dup.NextVma);
        Assert.Same(a, dup.Step().ParentVma);
        Assert.Same(b, dup.NextVma);
        dup.Step();
        Assert.Null(dup.NextVma);
    }
}
