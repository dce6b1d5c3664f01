namespace ActorKernel.Model.Tests.Memory;

public class FileObjectTests
{
    // mm/truncate.c invalidate_mapping_pages(): POSIX_FADV_DONTNEED skips mapped pages.
    [Fact]
    public void InvalidateMappingPages_SkipsMappedPage()
    {
        var file = new FileObject("prog", 4);
        var mm = new AddressSpace(1);
        var vma = Fixtures.FileVma(Fixtures.Base, 4, file);
        mm.AddVma(vma);
        mm.SetPte(vma.StartVpn, Pte.FilePageCache(0, writable: false));

        Assert.Equal(1, file.MapCount(0));
        Assert.False(file.TryEvict(0));
        Assert.True(file.IsCached(0));
        Assert.True(file.TryEvict(1));
        Assert.False(file.IsCached(1));
    }

    // exit_mmap(): zap_pte_range drops every mapcount the mm held.
    [Fact]
    public void ExitMmap_DropsMapcounts()
    {
        var file = new FileObject("prog", 4);
        var mm = new AddressSpace(1);
        var vma = Fixtures.FileVma(Fixtures.Base, 4, file);
        mm.AddVma(vma);
        Fixtures.Read(mm, vma.StartAddr);
        Assert.Equal(1, file.MapCount(3));

        mm.Release();

        Assert.Equal(0, file.MapCount(3));
        Assert.Equal(0, mm.PageTable.PopulatedCount);
        Assert.True(file.TryEvict(3));
    }

    [Fact]
    public void ReadaheadMarker_CountsAsCached()
    {
        var file = new FileObject("prog", 2, PageCacheState.NotCached);
        file.SetCacheState(1, PageCacheState.ReadaheadMarker);
        Assert.False(file.IsCached(0));
        Assert.True(file.IsCached(1));
    }

    [Fact]
    public void PageOutsideFile_IsInvariantViolation()
    {
        var file = new FileObject("prog", 2);
        Assert.Throws<ModelInvariantException>(() => file.IsCached(2));
    }
}
