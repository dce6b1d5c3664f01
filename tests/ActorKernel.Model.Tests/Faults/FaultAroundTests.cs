namespace ActorKernel.Model.Tests.Faults;

// mm/memory.c do_read_fault() → do_fault_around() → mm/filemap.c filemap_map_pages().
public class FaultAroundTests
{
    private const ulong Start = Fixtures.Base; // 64 KiB aligned

    private static (AddressSpace Mm, Vma Vma, FileObject File) Rodata(int pages, ulong start = Start)
    {
        var file = new FileObject("prog", 64);
        var mm = new AddressSpace(1);
        var vma = Fixtures.FileVma(start, pages, file, name: "prog .rodata");
        mm.AddVma(vma);
        return (mm, vma, file);
    }

    private static int[] MappedPages(AddressSpace mm, Vma vma) =>
        Enumerable.Range(0, (int)vma.PageCount).Where(i => mm.GetPte(vma.StartVpn + (ulong)i).State == PteState.Present).ToArray();

    [Fact]
    public void DoFaultAround_MapsAlignedSixteenPageWindowOfCachedPages()
    {
        var (mm, vma, _) = Rodata(48);

        var outcome = Fixtures.Read(mm, Fixtures.Addr(Start, 21));

        Assert.Equal(FaultKind.FileRead, outcome.Class.Kind);
        Assert.False(outcome.Major);
        Assert.Equal(16, outcome.PagesMapped);
        Assert.Equal(Enumerable.Range(16, 16), MappedPages(mm, vma));
        Assert.All(MappedPages(mm, vma), i => Assert.False(mm.GetPte(vma.StartVpn + (ulong)i).Writable));
    }

    // do_fault_around(): from_pte/to_pte are clipped to the VMA.
    [Fact]
    public void DoFaultAround_ClippedToVma()
    {
        var file = new FileObject("prog", 64);
        var mm = new AddressSpace(1);
        var vma = Fixtures.FileVma(Start + 4 * Pages.Size, 6, file, name: "small");
        mm.AddVma(vma);

        var outcome = Fixtures.Read(mm, Fixtures.Addr(vma.StartAddr, 2));

        Assert.Equal(6, outcome.PagesMapped);
        Assert.Equal(6, mm.PageTable.PopulatedCount);
    }

    // A VMA that starts inside an aligned window: the window starts at the VMA start and still maps 16 pages,
    // in every profile: 4.14 do_fault_around() "vmf->address = max(address & mask, vmf->vma->vm_start)" then
    // end_pgoff = start_pgoff + nr_pages - 1; 6.8.0 lines 4702-4707 and 6.18.2 lines 5660-5665
    // "from_pte = max(ALIGN_DOWN(pte_off, nr_pages), pte_off - min(pte_off, vma_off)); to_pte = min3(from_pte + nr_pages, …)".
    [Fact]
    public void DoFaultAround_VmaStartInsideTheAlignedWindow_MapsAFullWindowFromTheVmaStart()
    {
        var (mm, vma, _) = Rodata(32, Start + 4 * Pages.Size);

        var outcome = Fixtures.Read(mm, Fixtures.Addr(vma.StartAddr, 2));

        Assert.Equal(16, outcome.PagesMapped);
        Assert.Equal(Enumerable.Range(0, 16), MappedPages(mm, vma));
        // Past the first window the windows are aligned again: page 13 of the VMA is page 1 of an aligned window.
        var next = Fixtures.Read(mm, Fixtures.Addr(vma.StartAddr, 17));
        Assert.Equal(Enumerable.Range(0, 28), MappedPages(mm, vma));
        Assert.Equal(12, next.PagesMapped);
    }

    // do_fault_around(): the window never crosses the PTE table (2 MiB) boundary.
    [Fact]
    public void DoFaultAround_ClippedToPageTable()
    {
        const ulong pmd = 0x5555_5560_0000; // 2 MiB aligned
        var (mm, vma, _) = Rodata(32, pmd - 8 * Pages.Size);

        var outcome = Fixtures.Read(mm, Fixtures.Addr(vma.StartAddr, 2));

        Assert.Equal(8, outcome.PagesMapped);
        Assert.Equal(Enumerable.Range(0, 8), MappedPages(mm, vma));
    }

    // next_uptodate_folio(): folio_test_readahead() → skip; the strings page stays unmapped.
    [Fact]
    public void FilemapMapPages_SkipsReadaheadMarkerPage()
    {
        var (mm, vma, file) = Rodata(16);
        file.SetCacheState(vma.FilePageOf(vma.StartVpn + 5), PageCacheState.ReadaheadMarker);

        Fixtures.Read(mm, Fixtures.Addr(Start, 4));

        Assert.Equal(PteState.None, mm.GetPte(vma.StartVpn + 5).State);
        Assert.Equal(15, mm.PageTable.PopulatedCount);
        Assert.Equal(FailureCause.NotMapped, ProbeRead.Walk(mm, Fixtures.Addr(Start, 5, 100), 12).Cause);
    }

    [Fact]
    public void FilemapMapPages_SkipsNotCachedPages()
    {
        var (mm, vma, file) = Rodata(16);
        file.SetCacheState(vma.FilePageOf(vma.StartVpn + 9), PageCacheState.NotCached);

        Fixtures.Read(mm, Fixtures.Addr(Start, 0));

        Assert.Equal(PteState.None, mm.GetPte(vma.StartVpn + 9).State);
        Assert.Equal(15, mm.PageTable.PopulatedCount);
    }

    [Fact]
    public void DoFaultAround_FarPageInOtherWindow_DoesNotMapIt()
    {
        var (mm, vma, _) = Rodata(48);

        Fixtures.Read(mm, Fixtures.Addr(Start, 40));

        Assert.Equal(PteState.None, mm.GetPte(vma.StartVpn + 5).State);
        Assert.Equal(Enumerable.Range(32, 16), MappedPages(mm, vma));
    }

    // filemap_fault() → do_async_mmap_readahead(): faulting on the marker page itself clears it and maps it.
    [Fact]
    public void FilemapFault_OnReadaheadMarkerPage_ClearsMarkerAndMaps()
    {
        var (mm, vma, file) = Rodata(16);
        long fp = vma.FilePageOf(vma.StartVpn + 5);
        file.SetCacheState(fp, PageCacheState.ReadaheadMarker);

        var outcome = Fixtures.Read(mm, Fixtures.Addr(Start, 5));

        Assert.False(outcome.Major);
        Assert.Equal(16, outcome.PagesMapped);
        Assert.Equal(15, outcome.FaultAroundPages);
        Assert.Equal(PageCacheState.Cached, file.CacheState(fp));
        Assert.Equal(PteState.Present, mm.GetPte(vma.StartVpn + 5).State);
    }

    // filemap_fault(): page-cache miss → I/O → VM_FAULT_MAJOR.
    [Fact]
    public void FilemapFault_PageCacheMiss_IsMajor()
    {
        var (mm, vma, file) = Rodata(16);
        long fp = vma.FilePageOf(vma.StartVpn + 3);
        file.SetCacheState(fp, PageCacheState.NotCached);

        Assert.True(FaultModel.Classify(mm, Fixtures.Addr(Start, 3), AccessKind.Read).Major);
        var outcome = Fixtures.Read(mm, Fixtures.Addr(Start, 3));

        Assert.True(outcome.Major);
        Assert.True(file.IsCached(fp));
        Assert.Equal(16, mm.PageTable.PopulatedCount);
    }

    // fault_around_bytes ≤ PAGE_SIZE: should_fault_around() is false.
    [Fact]
    public void FaultAroundDisabled_MapsOnePage()
    {
        var (mm, _, _) = Rodata(16);

        var outcome = FaultModel.Handle(mm, Start, AccessKind.Read, new FaultOptions { FaultAroundBytes = Pages.Size });

        Assert.Equal(1, outcome.PagesMapped);
        Assert.Equal(0, outcome.FaultAroundPages);
    }

    [Fact]
    public void FaultAroundBytes_NotPowerOfTwoPages_IsInvariantViolation()
    {
        var (mm, _, _) = Rodata(16);
        Assert.Throws<ModelInvariantException>(() =>
            FaultModel.Handle(mm, Start, AccessKind.Read, new FaultOptions { FaultAroundBytes = 3 * Pages.Size }));
    }
}
