using Xunit;

namespace ActorKernel.Model.Tests.Reclaim;

/// <summary>
/// Reclaim's aging through the page table's accessed (young) bit, kernel 6.18.2 source:
/// mm/rmap.c folio_referenced() → rmap_walk() → folio_referenced_one(), which test-and-clears the
/// young bit of every PTE mapping the folio (ptep_clear_flush_young_notify()) and counts the young
/// ones; mm/vmscan.c shrink_active_list() and folio_check_references() act on that count. An access
/// sets the bit: the MMU on x86-64 and arm64 with FEAT_HAFDBS, an access-flag fault
/// (handle_pte_fault() → pte_mkyoung()) where arch_has_hw_pte_young() is false — and there a probe's
/// copy_from_user_nofault() through an old PTE fails (pte-old).
/// </summary>
public class PteYoungAgingTests
{
    private const ulong FileBase = 0x7f00_0000_0000;
    private const ulong AnonBase = 0x7f10_0000_0000;
    private const ulong OtherFileBase = 0x7f20_0000_0000;

    private static readonly ArchCaps Arm64NoAf = new(MachineArch.Arm64, HwPteYoung: false);

    /// <summary>folio_referenced_one(): each young mapping PTE counts once and is made old; a second walk finds none.</summary>
    [Fact]
    public void FolioReferenced_TestsAndClearsTheYoungBitOfEveryMappingPte()
    {
        var (m, mm, file) = Model(ArchCaps.X86_64);
        var other = MapSameFile(m, file, ArchCaps.X86_64);
        ReadFilePage(m, mm, FileBase);
        FaultModel.Handle(other, OtherFileBase, AccessKind.Read, OnePage);
        var folio = InactiveFileTail(m);

        Assert.Equal(2, m.FolioReferenced(folio));
        Assert.True(mm.GetPte(Pages.Vpn(FileBase)).Old);
        Assert.True(other.GetPte(Pages.Vpn(OtherFileBase)).Old);
        Assert.Equal(0, m.FolioReferenced(folio));
    }

    /// <summary>An anonymous folio's rmap is its one mm: the walk clears that PTE's young bit.</summary>
    [Fact]
    public void FolioReferenced_OfAnAnonymousFolio_AgesItsPte()
    {
        var (m, mm, _) = Model(ArchCaps.X86_64);
        WriteAnon(m, mm, AnonBase);
        var folio = m.Nodes[0].Lru.IsolateFromTail(LruType.Anon, false, 1, null)[0];

        Assert.Equal(1, m.FolioReferenced(folio));
        Assert.True(mm.GetPte(Pages.Vpn(AnonBase)).Old);
    }

    /// <summary>x86-64: an access through an old PTE does not fault; the MMU sets the accessed bit, so the next walk finds the folio referenced.</summary>
    [Fact]
    public void X86_AccessThroughAnOldPte_MakesItYoungWithoutAFault()
    {
        var (m, mm, _) = Model(ArchCaps.X86_64);
        ReadFilePage(m, mm, FileBase);
        var folio = InactiveFileTail(m);
        m.FolioReferenced(folio);
        var vpn = Pages.Vpn(FileBase);
        Assert.Equal(FaultKind.None, FaultModel.Classify(mm, FileBase, AccessKind.Read).Kind);
        Assert.True(ProbeRead.Walk(mm, FileBase, 8).Ok);

        m.Accessed(mm, vpn);

        Assert.False(mm.GetPte(vpn).Old);
        Assert.Equal(1, m.FolioReferenced(folio));
    }

    /// <summary>
    /// arm64 without hardware access flag: after aging the probe's read fails pte-old and leaves the PTE old
    /// (the fault is not handled with page faults disabled); the task's own access takes the access-flag
    /// fault, which makes it young — the reference the next walk counts.
    /// </summary>
    [Fact]
    public void Arm64WithoutHwAf_AgedPte_FailsPteOld_UntilTheTaskFaultsItYoung()
    {
        var (m, mm, _) = Model(Arm64NoAf);
        ReadFilePage(m, mm, FileBase);
        var folio = InactiveFileTail(m);
        var vpn = Pages.Vpn(FileBase);
        Assert.True(ProbeRead.Walk(mm, FileBase, 8).Ok);

        Assert.Equal(1, m.FolioReferenced(folio));

        Assert.Equal(FailureCause.PteOld, ProbeRead.Walk(mm, FileBase, 8).Cause);
        // The model is told of an access only once it went through; an old PTE here is left for the fault to fix.
        m.Accessed(mm, vpn);
        Assert.True(mm.GetPte(vpn).Old);
        Assert.Equal(0, m.FolioReferenced(folio));

        var fault = FaultModel.Handle(mm, FileBase, AccessKind.Read, OnePage);
        Assert.Equal(FaultKind.AccessFlag, fault.Class.Kind);
        Assert.False(fault.Major);
        Assert.True(ProbeRead.Walk(mm, FileBase, 8).Ok);
        Assert.Equal(1, m.FolioReferenced(folio));
    }

    /// <summary>
    /// mm/vmscan.c folio_check_references(): a file folio young in one PTE is kept for another trip with
    /// PG_referenced, and the walk has made its PTE old — on arm64 ARMv8.0 the probe now fails pte-old, on
    /// x86-64 it still reads; young again on the next trip, it is activated.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void InactiveFileFolio_YoungOnce_IsKeptWithAnOldPte(bool arm64NoAf)
    {
        var arch = arm64NoAf ? Arm64NoAf : ArchCaps.X86_64;
        var (m, mm, file) = Model(arch);
        ReadFilePage(m, mm, FileBase);

        var r = m.ShrinkInactiveList(0, LruType.File, 32, null);

        Assert.Equal(0, r.Reclaimed + r.Activated);
        Assert.True(file.IsCached(0));
        Assert.True(InactiveFileTail(m).Referenced);
        Assert.True(mm.GetPte(Pages.Vpn(FileBase)).Old);
        Assert.Equal(arm64NoAf ? FailureCause.PteOld : null, ProbeRead.Walk(mm, FileBase, 8).Cause);

        Touch(m, mm, FileBase);
        Assert.Equal(1, m.ShrinkInactiveList(0, LruType.File, 32, null).Activated);
    }

    /// <summary>folio_check_references(): "referenced_ptes > 1" — young in two mms at once activates at the first trip.</summary>
    [Fact]
    public void InactiveFileFolio_YoungInTwoMms_IsActivatedAtOnce()
    {
        var (m, mm, file) = Model(ArchCaps.X86_64);
        var other = MapSameFile(m, file, ArchCaps.X86_64);
        ReadFilePage(m, mm, FileBase);
        FaultModel.Handle(other, OtherFileBase, AccessKind.Read, OnePage);

        var r = m.ShrinkInactiveList(0, LruType.File, 32, null);

        Assert.Equal(1, r.Activated);
        Assert.Equal(1, m.Nodes[0].Lru.Count(LruType.File, true));
    }

    /// <summary>
    /// folio_check_references() in 6.18 treats a young anonymous folio like a file one (kept with
    /// PG_referenced, activated when young again); 4.14 page_check_references() activated it at once
    /// (PageSwapBacked), with new anonymous pages starting active (<see cref="MemoryParams.NewAnonActive"/>).
    /// </summary>
    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    public void InactiveAnonFolio_YoungOnce_KeptIn618_ActivatedIn414(bool kernel414, int activated)
    {
        var (m, mm, _) = Model(ArchCaps.X86_64, newAnonActive: kernel414);
        WriteAnon(m, mm, AnonBase);
        if (kernel414) m.ShrinkActiveList(0, LruType.Anon, 32, null);
        Touch(m, mm, AnonBase);

        var r = m.ShrinkInactiveList(0, LruType.Anon, 32, null);

        Assert.Equal(activated, r.Activated);
        Assert.Equal(0, r.SwappedOut);
        Assert.Equal(activated == 0, m.Nodes[0].Lru.Count(LruType.Anon, false) == 1);
    }

    /// <summary>An old anonymous folio goes to swap: the swap entry replaces the old PTE, and the probe now fails swapped-out.</summary>
    [Fact]
    public void Arm64WithoutHwAf_AnonAgedThenSwapped_PteOldThenSwappedOut()
    {
        var (m, mm, _) = Model(Arm64NoAf);
        WriteAnon(m, mm, AnonBase);

        m.ShrinkInactiveList(0, LruType.Anon, 32, null);
        Assert.Equal(FailureCause.PteOld, ProbeRead.Walk(mm, AnonBase, 8).Cause);

        Assert.Equal(1, m.ShrinkInactiveList(0, LruType.Anon, 32, null).SwappedOut);
        Assert.Equal(FailureCause.SwappedOut, ProbeRead.Walk(mm, AnonBase, 8).Cause);
    }

    /// <summary>shrink_active_list(): every folio it takes is walked, so even a deactivated young one leaves with its PTE old.</summary>
    [Fact]
    public void ShrinkActiveList_AgesThePtesOfWhatItDeactivates()
    {
        var (m, mm, _) = Model(Arm64NoAf, newAnonActive: true);
        WriteAnon(m, mm, AnonBase);

        Assert.Equal(1, m.ShrinkActiveList(0, LruType.Anon, 32, null).Deactivated);

        Assert.True(mm.GetPte(Pages.Vpn(AnonBase)).Old);
        Assert.Equal(FailureCause.PteOld, ProbeRead.Walk(mm, AnonBase, 8).Cause);
    }

    private static readonly FaultOptions OnePage = new() { FaultAroundBytes = Pages.Size };

    private static (MemoryModel M, AddressSpace Mm, FileObject File) Model(ArchCaps arch, bool newAnonActive = false)
    {
        var m = new MemoryModel(new MemoryParams { Nodes = 1, PagesPerNode = 4096, SwapPages = 64, NewAnonActive = newAnonActive });
        var file = new FileObject("data", 64, PageCacheState.NotCached);
        var mm = new AddressSpace(1) { Arch = arch };
        mm.AddVma(Fixtures.FileVma(FileBase, 16, file, name: "data"));
        mm.AddVma(new Vma(AnonBase, AnonBase + 64 * Pages.Size, VmaKind.AnonPrivate, VmaProt.Read | VmaProt.Write, "buf"));
        m.RegisterMm(mm, null, chargeExisting: true);
        return (m, mm, file);
    }

    private static AddressSpace MapSameFile(MemoryModel m, FileObject file, ArchCaps arch)
    {
        var other = new AddressSpace(2) { Arch = arch };
        other.AddVma(Fixtures.FileVma(OtherFileBase, 16, file, name: "data"));
        m.RegisterMm(other, null, chargeExisting: false);
        return other;
    }

    // A read fault fills the page cache and maps the page young; the model charges the new page.
    private static void ReadFilePage(MemoryModel m, AddressSpace mm, ulong addr)
    {
        FaultModel.Handle(mm, addr, AccessKind.Read, OnePage);
        m.Settle(mm, Pages.Vpn(addr), 0, wasSwapped: false);
    }

    private static void WriteAnon(MemoryModel m, AddressSpace mm, ulong addr)
    {
        FaultModel.Handle(mm, addr, AccessKind.Write, FaultOptions.Default);
        m.Settle(mm, Pages.Vpn(addr), 0, wasSwapped: false);
    }

    // A task's access, as the mm actor makes it: the fault it needs (an access-flag fault on an old PTE where
    // the hardware does not set the bit), then the model is told.
    private static void Touch(MemoryModel m, AddressSpace mm, ulong addr)
    {
        FaultModel.Handle(mm, addr, AccessKind.Read, OnePage);
        m.Settle(mm, Pages.Vpn(addr), 0, wasSwapped: false);
    }

    private static Folio InactiveFileTail(MemoryModel m) => m.Nodes[0].Lru.IsolateFromTail(LruType.File, false, 1, null)[0];
}
