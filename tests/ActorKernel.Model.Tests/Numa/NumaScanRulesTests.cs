using ActorKernel.Model.Tests.Image;

namespace ActorKernel.Model.Tests.Numa;

/// <summary>kernel/sched/fair.c task_numa_work() VMA skips and mm/mprotect.c change_pte_range() page skips.</summary>
public sealed class NumaScanRulesTests
{
    private static readonly FileObject File = new("f", 64);

    [Theory]
    [InlineData(VmaProt.Read | VmaProt.Exec)] // program and library text
    [InlineData(VmaProt.Read)] // rodata
    public void TaskNumaWork_SkipsReadOnlyAndRxFileVmas(VmaProt prot)
    {
        var vma = Fixtures.FileVma(Fixtures.Base, 16, File, prot: prot);
        Assert.Equal(NumaVmaSkip.SharedReadOnly, NumaScanRules.StaticVmaSkip(vma));
    }

    [Fact]
    public void TaskNumaWork_ScansWritableFileAndAnonVmas()
    {
        Assert.Null(NumaScanRules.StaticVmaSkip(Fixtures.FileVma(Fixtures.Base, 16, File, prot: VmaProt.Read | VmaProt.Write)));
        Assert.Null(NumaScanRules.StaticVmaSkip(Fixtures.AnonVma(Fixtures.Base, 16)));
        Assert.Null(NumaScanRules.StaticVmaSkip(Fixtures.AnonVma(Fixtures.Base, 16, VmaKind.Stack)));
    }

    [Theory]
    [InlineData(VmaFlags.Hugetlb, NumaVmaSkip.Hugetlb)]
    [InlineData(VmaFlags.PfnMap, NumaVmaSkip.NotMigratable)]
    [InlineData(VmaFlags.MixedMap, NumaVmaSkip.MixedMap)]
    public void TaskNumaWork_SkipsUnsuitableVmas(VmaFlags flags, NumaVmaSkip expected) =>
        Assert.Equal(expected, NumaScanRules.StaticVmaSkip(Fixtures.AnonVma(Fixtures.Base, 16, flags: flags)));

    [Fact]
    public void TaskNumaWork_SkipsInaccessibleVmas() =>
        Assert.Equal(NumaVmaSkip.Inaccessible, NumaScanRules.StaticVmaSkip(Fixtures.AnonVma(Fixtures.Base, 16, prot: VmaProt.None)));

    [Fact]
    public void ChangePteRange_SkipsZeroPageProtNoneAndNonPresent()
    {
        var vma = Fixtures.AnonVma(Fixtures.Base, 16);
        Assert.Equal(NumaPageSkip.ZeroPage, NumaScanRules.PageSkip(vma, Pte.ZeroPage, -1, Fixtures.Kernel618));
        Assert.Equal(NumaPageSkip.AlreadyProtNone, NumaScanRules.PageSkip(vma, Pte.Anon(true) with { State = PteState.ProtNone }, -1, Fixtures.Kernel618));
        Assert.Equal(NumaPageSkip.NotPresent, NumaScanRules.PageSkip(vma, Pte.Empty, -1, Fixtures.Kernel618));
        Assert.Null(NumaScanRules.PageSkip(vma, Pte.Anon(true), -1, Fixtures.Kernel618));
    }

    [Fact]
    public void ChangePteRange_SingleThreaded_SkipsPagesOnTheLocalNode()
    {
        // 4.10+: target_node = numa_node_id() when mm_users == 1 and the VMA is private.
        var vma = Fixtures.AnonVma(Fixtures.Base, 16);
        Assert.Equal(NumaPageSkip.LocalSingleThreaded, NumaScanRules.PageSkip(vma, Pte.Anon(true, homeNode: 0), 0, Fixtures.Kernel414));
        Assert.Null(NumaScanRules.PageSkip(vma, Pte.Anon(true, homeNode: 1), 0, Fixtures.Kernel414));
    }

    private static Vma Vdso() => new(Fixtures.Base, Fixtures.Base + 2 * Pages.Size, VmaKind.Vdso, VmaProt.Read | VmaProt.Exec, "[vdso]");

    private static readonly Pte VdsoPage = new(PteState.Present, false, false, false, 0, -1);

    // A private file mapping whose page 0 is mapped by this mm alone, page 1 also by another mm.
    private static (Vma Vma, Pte MappedOnce, Pte MappedTwice, Pte CowCopy) PrivateFilePages()
    {
        var file = new FileObject("lib.so", 4);
        var vma = Fixtures.FileVma(Fixtures.Base, 4, file, prot: VmaProt.Read | VmaProt.Write, name: ".data");
        var mm = new AddressSpace(1);
        mm.AddVma(vma);
        var other = new AddressSpace(2);
        other.AddVma(Fixtures.FileVma(Fixtures.Base, 4, file, prot: VmaProt.Read | VmaProt.Write, name: ".data"));
        mm.SetPte(vma.StartVpn, Pte.FilePageCache(0, writable: false));
        mm.SetPte(vma.StartVpn + 1, Pte.FilePageCache(1, writable: false));
        other.SetPte(vma.StartVpn + 1, Pte.FilePageCache(1, writable: false));
        Assert.Equal((1, 2), (file.MapCount(0), file.MapCount(1)));
        return (vma, mm.GetPte(vma.StartVpn), mm.GetPte(vma.StartVpn + 1), Pte.Anon(writable: true));
    }

    private static Vma SharedFile() => Fixtures.FileVma(Fixtures.Base, 16, File, VmaKind.FileShared, VmaProt.Read | VmaProt.Write);

    [Fact]
    public void ChangePteRange_414_SkipsNeitherSharedCowNorDirtyFilePages()
    {
        // 4.14.177 mm/mprotect.c change_pte_range() lines 80-97: with prot_numa only
        // "if (!page || PageKsm(page)) continue;", "if (pte_protnone(oldpte)) continue;" and
        // "if (target_node == page_to_nid(page)) continue;" — nothing about CoW sharing or dirty pages.
        var (vma, once, twice, cow) = PrivateFilePages();
        var k = Fixtures.Kernel414;
        Assert.Null(NumaScanRules.PageSkip(vma, once, -1, k));
        Assert.Null(NumaScanRules.PageSkip(vma, twice, -1, k));
        Assert.Null(NumaScanRules.PageSkip(vma, cow, -1, k));
        Assert.Null(NumaScanRules.PageSkip(Vdso(), VdsoPage, -1, k));
        Assert.Null(NumaScanRules.PageSkip(SharedFile(), Pte.FilePageCache(0, writable: true), -1, k));
        Assert.Equal(NumaPageSkip.ZeroPage, NumaScanRules.PageSkip(vma, Pte.ZeroPage, -1, k));
    }

    [Fact]
    public void ChangePteRange_68_SkipsEveryPageCachePageOfACowMapping()
    {
        // 6.8.0 mm/mprotect.c change_pte_range() lines 130-133: "if (is_cow_mapping(vma->vm_flags) &&
        // folio_ref_count(folio) != 1) continue;" — the page cache holds a reference to every file folio
        // beside each mapping's, so a private file page is skipped even when this mm alone maps it; the
        // vDSO's pages are the kernel's. Lines 140-142 skip dirty file folios.
        var (vma, once, twice, cow) = PrivateFilePages();
        var k = Fixtures.Kernel68;
        Assert.Equal(NumaPageSkip.SharedCow, NumaScanRules.PageSkip(vma, once, -1, k));
        Assert.Equal(NumaPageSkip.SharedCow, NumaScanRules.PageSkip(vma, twice, -1, k));
        Assert.Null(NumaScanRules.PageSkip(vma, cow, -1, k));
        Assert.Equal(NumaPageSkip.SharedCow, NumaScanRules.PageSkip(Vdso(), VdsoPage, -1, k));
        Assert.Equal(NumaPageSkip.DirtyFile, NumaScanRules.PageSkip(SharedFile(), Pte.FilePageCache(0, writable: true), -1, k));
    }

    [Fact]
    public void ChangePteRange_618_SkipsOnlyCowPagesMappedShared()
    {
        // 6.18.2 mm/mprotect.c prot_numa_skip() lines 140-142: "if (is_cow_mapping(vma->vm_flags) &&
        // (folio_maybe_dma_pinned(folio) || folio_maybe_mapped_shared(folio))) goto skip;" and line 149
        // "if (folio_is_file_lru(folio) && folio_test_dirty(folio)) goto skip;".
        var (vma, once, twice, cow) = PrivateFilePages();
        var k = Fixtures.Kernel618;
        Assert.Null(NumaScanRules.PageSkip(vma, once, -1, k));
        Assert.Equal(NumaPageSkip.SharedCow, NumaScanRules.PageSkip(vma, twice, -1, k));
        Assert.Null(NumaScanRules.PageSkip(vma, cow, -1, k));
        Assert.Equal(NumaPageSkip.SharedCow, NumaScanRules.PageSkip(Vdso(), VdsoPage, -1, k));
        Assert.Equal(NumaPageSkip.DirtyFile, NumaScanRules.PageSkip(SharedFile(), Pte.FilePageCache(0, writable: true), -1, k));
    }

    [Fact]
    public void TargetNode_OnlyForSingleThreadedPrivateVmas()
    {
        var mm = new AddressSpace(1);
        var vma = Fixtures.AnonVma(Fixtures.Base, 16);
        mm.AddVma(vma);
        Assert.Equal(0, NumaScanRules.TargetNode(mm, vma, 0, Fixtures.Kernel618));
        mm.MmUsers = 4;
        Assert.Equal(-1, NumaScanRules.TargetNode(mm, vma, 0, Fixtures.Kernel618));
    }

    [Fact]
    public void VmaIsAccessed_FirstTwoSequencesUnconditional_ThenThePidBit()
    {
        // kernel/sched/fair.c vma_is_accessed() (6.8.0 lines 3169-3174, 6.18.2 lines 3254-3259).
        var mm = new MmNumaState { ScanSeq = 1 };
        var vma = Fixtures.AnonVma(Fixtures.Base, 16);
        var numab = new VmaNumabState { StartScanSeq = 0, PrevScanSeq = 1 };
        Assert.True(NumaScanRules.VmaIsAccessed(mm, vma, numab, scanningTaskPid: 7, nrThreads: 4, Fixtures.Kernel618));
        mm.ScanSeq = 2;
        Assert.False(NumaScanRules.VmaIsAccessed(mm, vma, numab, 7, 4, Fixtures.Kernel618));
        numab.PidsActive1 = 1UL << VmaNumabState.PidBit(7);
        Assert.True(NumaScanRules.VmaIsAccessed(mm, vma, numab, 7, 4, Fixtures.Kernel618));
    }

    [Fact]
    public void VmaIsAccessed_ScanAlreadyPastTheVmaStart_Admits()
    {
        // 6.8.0 line 3180 / 6.18.2 line 3265: "if (mm->numa_scan_offset > vma->vm_start) return true;"
        var vma = Fixtures.AnonVma(Fixtures.Base, 16);
        var numab = new VmaNumabState { StartScanSeq = 0, PrevScanSeq = 1 };
        var mm = new MmNumaState { ScanSeq = 2, ScanOffset = vma.StartAddr + Pages.Size };
        Assert.True(NumaScanRules.VmaIsAccessed(mm, vma, numab, 7, 4, Fixtures.Kernel68));
        mm.ScanOffset = vma.StartAddr;
        Assert.False(NumaScanRules.VmaIsAccessed(mm, vma, numab, 7, 4, Fixtures.Kernel68));
    }

    [Fact]
    public void VmaIsAccessed_68_HasNoThreadCountRule()
    {
        // 6.8.0 kernel/sched/fair.c vma_is_accessed() lines 3160-3186 end with "return false;" after
        // the scan-offset test: a VMA unscanned for more sequences than threads is not admitted.
        var mm = new MmNumaState { ScanSeq = 6 };
        var vma = Fixtures.AnonVma(Fixtures.Base, 16);
        var numab = new VmaNumabState { StartScanSeq = 0, PrevScanSeq = 1 };
        Assert.False(NumaScanRules.VmaIsAccessed(mm, vma, numab, 7, nrThreads: 4, Fixtures.Kernel68));
    }

    [Fact]
    public void VmaIsAccessed_618_AdmitsAVmaUnscannedForMoreSequencesThanThreads()
    {
        // 6.18.2 kernel/sched/fair.c vma_is_accessed() lines 3275-3276 (6.11+):
        // "if (READ_ONCE(mm->numa_scan_seq) > (vma->numab_state->prev_scan_seq + get_nr_threads(current)))".
        var mm = new MmNumaState { ScanSeq = 5 };
        var vma = Fixtures.AnonVma(Fixtures.Base, 16);
        var numab = new VmaNumabState { StartScanSeq = 0, PrevScanSeq = 1 };
        Assert.False(NumaScanRules.VmaIsAccessed(mm, vma, numab, 7, nrThreads: 4, Fixtures.Kernel618));
        mm.ScanSeq = 6;
        Assert.True(NumaScanRules.VmaIsAccessed(mm, vma, numab, 7, nrThreads: 4, Fixtures.Kernel618));
    }

    [Fact]
    public void PidBit_IsHash32OfThePid() =>
        // hash_32(1, 6) = (1 * 0x61C88647) >> 26.
        Assert.Equal((int)(0x61C88647u >> 26), VmaNumabState.PidBit(1));
}
