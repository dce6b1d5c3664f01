namespace ActorKernel.Model.Tests.Image;

// A shared library's segments are private file VMAs of their own (elf/dl-load.c _dl_map_segments());
// read-only data has no anon_vma, so mm/memory.c vma_needs_copy() is false and fork copies no PTE of it.
public class LibraryRegionTests
{
    private static ProcessImage Image()
    {
        var layout = new ImageLayout();
        var image = ProcessImage.Build(1, layout, new FileObject("prog", layout.ProgFilePages), new FileObject("libc.so.6", layout.LibcFilePages));
        image.PopulateTypical();
        image.AddLibrary(new FileObject("libhelper.so", layout.LibFilePages), layout);
        return image;
    }

    [Fact]
    public void Library_HasItsOwnVmas_BelowLibc()
    {
        var image = Image();
        var rodata = image.RegionOf(RegionKind.LibRodata);
        Assert.Equal("lib .rodata", rodata.Vma.Name);
        Assert.Equal(VmaKind.FilePrivate, rodata.Vma.Kind);
        Assert.False(rodata.Vma.HasAnonVma);
        Assert.True(rodata.EndAddr <= image.RegionOf(RegionKind.LibcText).StartAddr);
        Assert.NotSame(image.RegionOf(RegionKind.LibText).Vma, rodata.Vma);
    }

    [Fact]
    public void LibraryLiteral_ReadByTheParent_IsForkSkippedInTheChild()
    {
        var image = Image();
        var addr = image.PlaceString(RegionKind.LibRodata, 5, 0, "/usr/libexec/helper");
        image.TouchRead(addr);
        Assert.True(ProbeRead.Walk(image.Mm, addr, 20).Ok);
        var child = Fixtures.Fork(image.Mm);
        Assert.Equal(FailureCause.ForkSkippedPte, ProbeRead.Walk(child, addr, 20).Cause);
    }

    // Its fault-around window is its own: a read in libc's .rodata maps nothing of the library's.
    [Fact]
    public void LibraryWindow_IsNotLibcs()
    {
        var image = Image();
        var addr = image.PlaceString(RegionKind.LibRodata, 5, 0, "/usr/libexec/helper");
        image.TouchRead(image.RegionOf(RegionKind.LibcRodata).Addr(0));
        Assert.Equal(FailureCause.NotMapped, ProbeRead.Walk(image.Mm, addr, 20).Cause);
        image.TouchRead(image.RegionOf(RegionKind.LibRodata).Addr(6));
        Assert.True(ProbeRead.Walk(image.Mm, addr, 20).Ok);
    }
}
