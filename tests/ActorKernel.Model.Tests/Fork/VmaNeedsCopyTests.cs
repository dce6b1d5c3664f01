namespace ActorKernel.Model.Tests.Fork;

// mm/memory.c vma_needs_copy().
public class VmaNeedsCopyTests
{
    private static readonly FileObject File = new("f", 16);

    [Fact]
    public void PrivateFileMappingWithoutAnonVma_IsNotCopied() =>
        Assert.False(ForkModel.VmaNeedsCopy(Fixtures.FileVma(Fixtures.Base, 4, File), Fixtures.Kernel618));

    [Fact]
    public void AnonVma_ForcesCopy()
    {
        var vma = Fixtures.FileVma(Fixtures.Base, 4, File);
        vma.HasAnonVma = true;
        Assert.True(ForkModel.VmaNeedsCopy(vma, Fixtures.Kernel618));
    }

    [Theory]
    [InlineData(VmaFlags.PfnMap)]
    [InlineData(VmaFlags.MixedMap)]
    public void PfnMapOrMixedMap_ForcesCopy(VmaFlags flags) =>
        Assert.True(ForkModel.VmaNeedsCopy(Fixtures.FileVma(Fixtures.Base, 4, File, flags: flags), Fixtures.Kernel414));

    // 5.19+: userfaultfd_wp(src_vma) forces a copy so the wp markers survive.
    [Fact]
    public void UffdWp_ForcesCopyOnlyWhenProfileSaysSo()
    {
        var vma = Fixtures.FileVma(Fixtures.Base, 4, File, flags: VmaFlags.UffdWp);
        Assert.True(ForkModel.VmaNeedsCopy(vma, Fixtures.Kernel618));
        Assert.False(ForkModel.VmaNeedsCopy(vma, Fixtures.Kernel414));
    }

    // Before ~6.0 the check read !(vm_flags & (VM_HUGETLB | VM_PFNMAP | VM_MIXEDMAP)).
    [Fact]
    public void Hugetlb_CopiedOnlyWhenProfileSaysSo()
    {
        var vma = Fixtures.FileVma(Fixtures.Base, 4, File, VmaKind.FileShared, flags: VmaFlags.Hugetlb);
        Assert.True(ForkModel.VmaNeedsCopy(vma, Fixtures.Kernel414));
        Assert.False(ForkModel.VmaNeedsCopy(vma, Fixtures.Kernel618));
    }
}
