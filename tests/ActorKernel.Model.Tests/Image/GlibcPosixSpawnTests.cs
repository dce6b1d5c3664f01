namespace ActorKernel.Model.Tests.Image;

// glibc 2.36 sysdeps/unix/sysv/linux/spawni.c __spawnix(): __libc_signal_block_all() (internal-signals.h) is
// rt_sigprocmask(SIG_BLOCK, &sigall_set, ...) before the clone; kernel/signal.c sys_rt_sigprocmask()'s
// copy_from_user() of sigall_set faults its libc .rodata page in with mm/memory.c do_fault_around() (6.18).
public class GlibcPosixSpawnTests
{
    private static readonly FaultAroundWindow Window = FaultAroundWindow.Of(FaultOptions.DefaultFaultAroundBytes);

    private static ProcessImage Image(int libcLoadOffsetPages, int distancePages = GlibcPosixSpawn.DebianSigallSetDistancePages)
    {
        var image = ImageFixtures.Build(layout: new ImageLayout { LibcLoadOffsetPages = libcLoadOffsetPages, LibcSigallSetDistancePages = distancePages });
        image.PopulateTypical();
        return image;
    }

    private static bool LiteralsMapped(ProcessImage image) =>
        image.Mm.GetPte(Pages.Vpn(image.RegionOf(RegionKind.LibcRodata).Addr(GlibcSystem.ShellLiteralsRodataPage))).State == PteState.Present;

    [Fact]
    public void SigallSet_LiesTenPagesAfterTheShellLiterals_InDebians236()
    {
        var image = Image(0);
        var literals = image.RegionOf(RegionKind.LibcRodata).Addr(GlibcSystem.ShellLiteralsRodataPage);
        Assert.Equal(literals + 10 * (ulong)Pages.Size + 0x178, GlibcPosixSpawn.SigallSetAddr(image, 10));
        Assert.Equal(GlibcSystem.ShellLiteralsRodataPage - 3, GlibcPosixSpawn.LibcRodataPage(-3));
    }

    // The kernel's read of sigall_set maps the literals' page exactly when do_fault_around()'s aligned window of the
    // sigall_set fault holds it: the literals' window index plus the distance stays inside the window.
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(11)]
    [InlineData(15)]
    public void SpawnixSigallSetRead_MapsTheShellLiterals_IffTheyShareItsFaultAroundWindow(int windowIndex)
    {
        var offset = GlibcPosixSpawn.LoadOffsetForLiteralsWindowIndex(new ImageLayout(), Window, windowIndex);
        var image = Image(offset);
        Assert.Equal(windowIndex, GlibcPosixSpawn.LiteralsWindowIndex(image, Window));
        Assert.False(LiteralsMapped(image));

        image.TouchRead(GlibcPosixSpawn.SigallSetAddr(image, GlibcPosixSpawn.DebianSigallSetDistancePages));

        Assert.Equal(windowIndex + GlibcPosixSpawn.DebianSigallSetDistancePages < Window.Pages, LiteralsMapped(image));
    }

    // ASLR places libc by the page: over the 16 placements in a 64 KiB window, 6 (window index 0-5) map the literals.
    [Fact]
    public void SpawnixSigallSetRead_MapsTheLiterals_InSixOfSixteenLibcPlacements()
    {
        var mapped = 0;
        for (var offset = 0; offset < Window.Pages; offset++)
        {
            var image = Image(offset);
            image.TouchRead(GlibcPosixSpawn.SigallSetAddr(image, GlibcPosixSpawn.DebianSigallSetDistancePages));
            if (LiteralsMapped(image)) mapped++;
        }
        Assert.Equal(6, mapped);
    }

    [Fact]
    public void LoadOffsetForLiteralsWindowIndex_IsTheSmallestOffsetGivingThatIndex()
    {
        for (var index = 0; index < Window.Pages; index++)
        {
            var offset = GlibcPosixSpawn.LoadOffsetForLiteralsWindowIndex(new ImageLayout(), Window, index);
            Assert.InRange(offset, 0, Window.Pages - 1);
            Assert.Equal(index, GlibcPosixSpawn.LiteralsWindowIndex(Image(offset), Window));
        }
        Assert.Throws<ModelInvariantException>(() => GlibcPosixSpawn.LoadOffsetForLiteralsWindowIndex(new ImageLayout(), Window, 16));
    }

    // popen() (glibc 2.36) also reads, before its exec, the jump tables of _IO_new_proc_open()'s mode switch (-4 pages)
    // and of __spawni_child()'s file-actions switch (-3): with sigall_set (+10) some window holds the literals for every
    // placement, so popen()'s first call never loses them on this libc (measured: calibration.md).
    [Fact]
    public void PopenReads_ModeTableFileActionsTableAndSigallSet_MapTheLiteralsInEveryPlacement()
    {
        for (var offset = 0; offset < Window.Pages; offset++)
        {
            var image = Image(offset);
            image.TouchRead(GlibcPosixSpawn.LibcRodataReadAddr(image, GlibcPosixSpawn.DebianPopenModeTableDistancePages));
            image.TouchRead(GlibcPosixSpawn.SigallSetAddr(image, GlibcPosixSpawn.DebianSigallSetDistancePages));
            image.TouchRead(GlibcPosixSpawn.LibcRodataReadAddr(image, GlibcPosixSpawn.DebianFileActionsTableDistancePages));
            Assert.True(LiteralsMapped(image), $"libc offset {offset}");
        }
    }
}
