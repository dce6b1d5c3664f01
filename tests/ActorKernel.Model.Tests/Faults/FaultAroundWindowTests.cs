namespace ActorKernel.Model.Tests.Faults;

public class FaultAroundWindowTests
{
    private static Region RegionAt(ulong start, int pages) =>
        new(RegionKind.Rodata, start, pages, new Vma(start, start + (ulong)pages * Pages.Size, VmaKind.AnonPrivate, VmaProt.Read, "[region]"));

    [Theory]
    [InlineData(65536, 16)]
    [InlineData(32768, 8)]
    [InlineData(4096, 1)]
    [InlineData(0, 1)]
    public void Pages_AreFaultAroundBytesInPages_AtLeastOne(int bytes, int pages) => Assert.Equal(pages, FaultAroundWindow.Of(bytes).Pages);

    // do_fault_around() (4.14, 6.8.0 line 4702, 6.18.2 line 5660): the window starts at the aligned address or the VMA start.
    [Fact]
    public void Windows_AreAlignedOnVirtualAddresses_ClampedToTheRegionStart()
    {
        // A region starting 16 pages into a 32-page aligned window (64 KiB aligned, not 128 KiB).
        var region = RegionAt(Fixtures.Base + 16 * (ulong)Pages.Size, 100);
        var w = FaultAroundWindow.Of(131072);
        Assert.Equal(0, w.StartOf(region, 5));
        Assert.Equal(16, w.StartOf(region, 20));
        Assert.Equal(0, w.StartOf(RegionAt(Fixtures.Base, 100), 5));
        Assert.Equal(32, FaultAroundWindow.Of(65536).FirstStartAtOrAfter(RegionAt(Fixtures.Base, 100), 32));
        Assert.Equal(48, FaultAroundWindow.Of(65536).FirstStartAtOrAfter(RegionAt(Fixtures.Base, 100), 33));
    }

    // A region too short to hold a window start past the asked page: the answer lies past its end, and asking is no
    // error (image.rodata-pages = 32, the schema's minimum, made every run fail while RodataPlaces asked for page 32).
    [Fact]
    public void FirstStartAtOrAfter_MayLiePastTheRegionsEnd()
    {
        var fourIntoAWindow = RegionAt(Fixtures.Base + 4 * (ulong)Pages.Size, 32);
        var w = FaultAroundWindow.Of(65536);
        Assert.Equal(44, w.FirstStartAtOrAfter(fourIntoAWindow, 32));
        Assert.Equal(12, w.FirstStartAtOrAfter(fourIntoAWindow, 0));
        Assert.Equal(28, w.FirstStartAtOrAfter(fourIntoAWindow, 28));
    }
}
