namespace ActorKernel.Model.Tests.Faults;

// mm/memory.c handle_mm_fault() dispatch; arch/x86/mm/fault.c access_error().
public class FaultModelTests
{
    private const ulong Start = Fixtures.Base;

    private static (AddressSpace Mm, Vma Vma) Mm(Vma vma)
    {
        var mm = new AddressSpace(1);
        mm.AddVma(vma);
        return (mm, vma);
    }

    [Fact]
    public void NoVma_IsBadAddressAndMapsNothing()
    {
        var (mm, _) = Mm(Fixtures.AnonVma(Start, 2));
        var outcome = Fixtures.Read(mm, Start + 0x10_0000);
        Assert.Equal(FaultKind.BadAddress, outcome.Class.Kind);
        Assert.Equal(0, outcome.PagesMapped);
        Assert.Equal(0, mm.PageTable.PopulatedCount);
    }

    [Fact]
    public void AccessError_WriteToReadOnlyVma_ReadOfProtNoneVma()
    {
        var (mm, _) = Mm(Fixtures.FileVma(Start, 2, new FileObject("prog", 2)));
        mm.AddVma(Fixtures.AnonVma(Start + 0x10_0000, 1, prot: VmaProt.None, name: "guard"));

        Assert.Equal(FaultKind.AccessError, Fixtures.Write(mm, Start).Class.Kind);
        Assert.Equal(FaultKind.AccessError, Fixtures.Read(mm, Start + 0x10_0000).Class.Kind);
        Assert.Equal(0, mm.PageTable.PopulatedCount);
    }

    // do_anonymous_page(): read → zero page, no anon_vma_prepare(); one page, no fault-around.
    [Fact]
    public void DoAnonymousPage_ReadMapsZeroPageWithoutAnonVma()
    {
        var (mm, vma) = Mm(Fixtures.AnonVma(Start, 16));

        var outcome = Fixtures.Read(mm, Fixtures.Addr(Start, 3));

        Assert.Equal(FaultKind.AnonZeroPage, outcome.Class.Kind);
        Assert.Equal(1, outcome.PagesMapped);
        var pte = mm.GetPte(vma.StartVpn + 3);
        Assert.True(pte.IsZeroPage);
        Assert.False(pte.Writable);
        Assert.False(vma.HasAnonVma);
        Assert.Equal(1, mm.PageTable.PopulatedCount);
    }

    // do_anonymous_page(): write → anon_vma_prepare() + new page; one page.
    [Fact]
    public void DoAnonymousPage_WriteAllocatesAndGivesAnonVma()
    {
        var (mm, vma) = Mm(Fixtures.AnonVma(Start, 16, VmaKind.Stack));

        var outcome = FaultModel.Handle(mm, Fixtures.Addr(Start, 3), AccessKind.Write, FaultOptions.Default with { AllocNode = 1 });

        Assert.Equal(FaultKind.AnonAlloc, outcome.Class.Kind);
        Assert.Equal(1, outcome.PagesMapped);
        Assert.Equal(1, outcome.NumaNode);
        Assert.True(vma.HasAnonVma);
        Assert.True(mm.GetPte(vma.StartVpn + 3) is { IsAnon: true, Writable: true, HomeNode: 1 });
        Assert.Equal(1, mm.PageTable.PopulatedCount);
    }

    // do_cow_fault(): a write to an unmapped private file page copies it into an anon page.
    [Fact]
    public void DoCowFault_WriteToPrivateFilePageGivesAnonVma()
    {
        var file = new FileObject("prog", 16);
        var (mm, vma) = Mm(Fixtures.FileVma(Start, 16, file, prot: VmaProt.Read | VmaProt.Write, name: "prog .data"));

        var outcome = Fixtures.Write(mm, Fixtures.Addr(Start, 2));

        Assert.Equal(FaultKind.FileWriteCow, outcome.Class.Kind);
        Assert.Equal(1, outcome.PagesMapped);
        Assert.True(vma.HasAnonVma);
        Assert.True(mm.GetPte(vma.StartVpn + 2).IsAnon);
        Assert.Equal(0, file.MapCount(2));
    }

    // do_wp_page() → wp_page_copy(): zero page or read-only file page becomes a private anon copy.
    [Fact]
    public void DoWpPage_BreaksCow()
    {
        var (mm, vma) = Mm(Fixtures.AnonVma(Start, 2));
        Fixtures.Read(mm, Start);
        Assert.Equal(FaultKind.Cow, FaultModel.Classify(mm, Start, AccessKind.Write).Kind);

        Fixtures.Write(mm, Start);

        Assert.True(mm.GetPte(vma.StartVpn) is { IsAnon: true, Writable: true, IsZeroPage: false });
        Assert.True(vma.HasAnonVma);
        Assert.Equal(FaultKind.None, FaultModel.Classify(mm, Start, AccessKind.Write).Kind);
    }

    // do_shared_fault(): shared file write keeps the page-cache page, writable.
    [Fact]
    public void DoSharedFault_SharedFileWriteStaysFilePage()
    {
        var file = new FileObject("shared", 4);
        var (mm, vma) = Mm(Fixtures.FileVma(Start, 4, file, VmaKind.FileShared, VmaProt.Read | VmaProt.Write));

        var outcome = Fixtures.Write(mm, Start);

        Assert.Equal(FaultKind.FileShared, outcome.Class.Kind);
        Assert.True(mm.GetPte(vma.StartVpn) is { IsAnon: false, Writable: true, FilePage: 0 });
        Assert.False(vma.HasAnonVma);
        Assert.Equal(1, file.MapCount(0));
    }

    // shmem_fault(): shared anonymous memory faults like a file, minor, no anon_vma.
    [Fact]
    public void ShmemFault_IsMinorFileLikeWithoutAnonVma()
    {
        var (mm, vma) = Mm(Fixtures.AnonVma(Start, 4, VmaKind.AnonShared));

        var c = FaultModel.Classify(mm, Start, AccessKind.Write);
        Fixtures.Write(mm, Start);

        Assert.Equal(new FaultClass(FaultKind.FileShared, false), c);
        Assert.False(vma.HasAnonVma);
        Assert.Equal(PteState.Present, mm.GetPte(vma.StartVpn).State);
    }

    // do_numa_page(): restore the PTE; migrate only if the caller asks.
    [Fact]
    public void DoNumaPage_RestoresPteAndMigratesOnRequest()
    {
        var (mm, vma) = Mm(Fixtures.AnonVma(Start, 2));
        Fixtures.Write(mm, Start);
        Fixtures.Write(mm, Fixtures.Addr(Start, 1));
        foreach (var vpn in new[] { vma.StartVpn, vma.StartVpn + 1 })
            mm.SetPte(vpn, mm.GetPte(vpn) with { State = PteState.ProtNone });

        Assert.Equal(new FaultClass(FaultKind.NumaHint, false), FaultModel.Classify(mm, Start, AccessKind.Read));
        var stay = Fixtures.Read(mm, Start);
        var moved = FaultModel.Handle(mm, Fixtures.Addr(Start, 1), AccessKind.Read, FaultOptions.Default with { MigrateToNode = 1 });

        Assert.False(stay.Migrated);
        Assert.Equal(0, mm.GetPte(vma.StartVpn).HomeNode);
        Assert.True(moved.Migrated);
        Assert.Equal(1, mm.GetPte(vma.StartVpn + 1).HomeNode);
        Assert.Equal(PteState.Present, mm.GetPte(vma.StartVpn + 1).State);
        Assert.True(mm.GetPte(vma.StartVpn + 1).Writable);
    }

    // do_swap_page(): reading back from swap is major.
    [Fact]
    public void DoSwapPage_IsMajor()
    {
        var (mm, vma) = Mm(Fixtures.AnonVma(Start, 1));
        Fixtures.Write(mm, Start);
        mm.SetPte(vma.StartVpn, mm.GetPte(vma.StartVpn) with { State = PteState.Swapped });

        var outcome = Fixtures.Read(mm, Start);

        Assert.Equal(new FaultClass(FaultKind.SwapIn, true), outcome.Class);
        Assert.True(outcome.Major);
        Assert.Equal(PteState.Present, mm.GetPte(vma.StartVpn).State);
    }

    [Fact]
    public void PresentReadablePte_IsNoFault()
    {
        var (mm, _) = Mm(Fixtures.AnonVma(Start, 1));
        Fixtures.Write(mm, Start);
        var outcome = Fixtures.Read(mm, Start);
        Assert.Equal(FaultKind.None, outcome.Class.Kind);
        Assert.Equal(0, outcome.PagesMapped);
    }
}
