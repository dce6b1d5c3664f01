namespace ActorKernel.Model.Tests.Memory;

public class AddressSpaceTests
{
    // mm/mmap.c vma_link(): VMAs never overlap.
    [Fact]
    public void AddVma_Overlap_IsInvariantViolation()
    {
        var mm = new AddressSpace(1);
        mm.AddVma(Fixtures.AnonVma(Fixtures.Base, 4));
        Assert.Throws<ModelInvariantException>(() => mm.AddVma(Fixtures.AnonVma(Fixtures.Base + 3 * Pages.Size, 4)));
    }

    // mm/mmap.c find_vma()/vma_lookup().
    [Fact]
    public void FindVma_FindsContainingVmaInSortedList()
    {
        var mm = new AddressSpace(1);
        var high = Fixtures.AnonVma(Fixtures.Base + 0x10_0000, 2, name: "high");
        var low = Fixtures.AnonVma(Fixtures.Base, 2, name: "low");
        mm.AddVma(high);
        mm.AddVma(low);

        Assert.Equal(new[] { "low", "high" }, mm.Vmas.Select(v => v.Name));
        Assert.Same(low, mm.FindVma(Fixtures.Base + Pages.Size + 5));
        Assert.Same(high, mm.FindVma(high.StartAddr));
        Assert.Null(mm.FindVma(low.EndAddr));
    }

    [Fact]
    public void SetPte_OutsideVma_IsInvariantViolation()
    {
        var mm = new AddressSpace(1);
        Assert.Throws<ModelInvariantException>(() => mm.SetPte(Pages.Vpn(Fixtures.Base), Pte.Anon(true)));
    }

    // Replacing a file PTE by an anon one (CoW) moves the rmap: file mapcount drops.
    [Fact]
    public void SetPte_ReplacingFilePage_KeepsMapcountInStep()
    {
        var file = new FileObject("data", 1);
        var mm = new AddressSpace(1);
        var vma = Fixtures.FileVma(Fixtures.Base, 1, file, prot: VmaProt.Read | VmaProt.Write);
        mm.AddVma(vma);
        Fixtures.Read(mm, vma.StartAddr);
        Assert.Equal(1, file.MapCount(0));

        Fixtures.Write(mm, vma.StartAddr);

        Assert.Equal(0, file.MapCount(0));
        Assert.True(mm.GetPte(vma.StartVpn).IsAnon);
    }

    [Fact]
    public void Vma_FilePageOf_UsesPgoff()
    {
        var file = new FileObject("lib", 10);
        var vma = Fixtures.FileVma(Fixtures.Base, 4, file, filePageOffset: 6);
        Assert.Equal(4, vma.PageCount);
        Assert.Equal(8, vma.FilePageOf(vma.StartVpn + 2));
        Assert.True(vma.Contains(vma.EndAddr - 1));
        Assert.False(vma.Contains(vma.EndAddr));
    }

    // shmem never gets an anon_vma.
    [Fact]
    public void AnonShared_NeverGetsAnonVma()
    {
        var vma = Fixtures.AnonVma(Fixtures.Base, 1, VmaKind.AnonShared);
        Assert.Throws<ModelInvariantException>(() => vma.HasAnonVma = true);
    }
}
