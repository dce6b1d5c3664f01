namespace ActorKernel.Model.Tests.Image;

// docs/kernel-model.md §1 and §8, as a story: the parent forks; the child execs with a
// filename from .rodata; the probe at sys_enter_execve reads it.
public class ForkExecScenarioTests
{
    private const int StringPage = 5;

    private static (ProcessImage Parent, ulong Filename) ParentThatReadItsRodata()
    {
        var image = ImageFixtures.Build();
        image.PopulateTypical();
        var filename = image.PlaceString(RegionKind.Rodata, StringPage, 64, "/usr/bin/true");
        image.TouchRead(filename);
        return (image, filename);
    }

    [Fact]
    public void ProbeInChild_FailsOnRodataTheParentRead()
    {
        var (parent, filename) = ParentThatReadItsRodata();
        Assert.True(ProbeRead.Walk(parent.Mm, filename, 14).Ok);

        var child = Fixtures.Fork(parent.Mm);

        var result = ProbeRead.Walk(child, filename, parent.PlacementAt(filename).LengthBytes);
        Assert.False(result.Ok);
        Assert.Equal(FailureCause.ForkSkippedPte, result.Cause);
        Assert.Equal("fork-skipped-pte", result.Cause!.Value.ToKebab());
        Assert.Equal(filename, result.FaultingAddr);
    }

    [Fact]
    public void ChildHasPtesForDataBssHeapStack_NotForRodataTextVdso()
    {
        var (parent, _) = ParentThatReadItsRodata();
        var child = Fixtures.Fork(parent.Mm);
        bool AllCopied(RegionKind k)
        {
            var vma = parent.RegionOf(k).Vma;
            return child.PageTable.Range(vma.StartVpn, vma.EndVpn).Count() == vma.PageCount;
        }
        bool NoneCopied(RegionKind k)
        {
            var vma = parent.RegionOf(k).Vma;
            return !child.PageTable.Range(vma.StartVpn, vma.EndVpn).Any();
        }

        Assert.All(new[] { RegionKind.Relro, RegionKind.Data, RegionKind.Bss, RegionKind.Heap, RegionKind.Stack, RegionKind.LibcData },
            k => Assert.True(AllCopied(k), $"{k} copied"));
        Assert.All(new[] { RegionKind.Text, RegionKind.Rodata, RegionKind.LibcText, RegionKind.Vdso },
            k => Assert.True(NoneCopied(k), $"{k} not copied"));
    }

    // Fault-around: the child touching a neighbour in the same 16-page window hides the failure.
    [Fact]
    public void ChildReadOfNeighbourInSameWindow_MakesProbeSucceed()
    {
        var (parent, filename) = ParentThatReadItsRodata();
        var child = Fixtures.Fork(parent.Mm);
        var rodata = parent.RegionOf(RegionKind.Rodata);

        FaultModel.Handle(child, rodata.Addr(StringPage + 3), AccessKind.Read, FaultOptions.Default);

        Assert.True(ProbeRead.Walk(child, filename, 14).Ok);
    }

    // filemap_map_pages() skips PG_readahead: the strings page stays unmapped.
    [Fact]
    public void StringsPageWithReadaheadMarker_StaysUnmappedWhenNeighbourTouched()
    {
        var (parent, filename) = ParentThatReadItsRodata();
        var child = Fixtures.Fork(parent.Mm);
        var rodata = parent.RegionOf(RegionKind.Rodata);
        parent.ProgFile.SetCacheState(rodata.Vma.FilePageOf(Pages.Vpn(filename)), PageCacheState.ReadaheadMarker);

        FaultModel.Handle(child, rodata.Addr(StringPage + 3), AccessKind.Read, FaultOptions.Default);

        Assert.Equal(FailureCause.ForkSkippedPte, ProbeRead.Walk(child, filename, 14).Cause);
    }

    [Fact]
    public void ChildReadOfFarPageInOtherWindow_DoesNotHelp()
    {
        var image = ImageFixtures.Build(layout: new ImageLayout { RodataPages = 48 });
        image.PopulateTypical();
        var filename = image.PlaceString(RegionKind.Rodata, StringPage, 0, "/bin/ls");
        image.TouchRead(filename);
        var child = Fixtures.Fork(image.Mm);

        FaultModel.Handle(child, image.RegionOf(RegionKind.Rodata).Addr(40), AccessKind.Read, FaultOptions.Default);

        Assert.Equal(FailureCause.ForkSkippedPte, ProbeRead.Walk(child, filename, 8).Cause);
    }

    // A rodata page nobody ever read: absent in the parent too, so not a fork artefact.
    [Fact]
    public void RodataNeverRead_IsNotMappedInChild()
    {
        var image = ImageFixtures.Build(layout: new ImageLayout { RodataPages = 48 });
        image.PopulateTypical();
        var filename = image.PlaceString(RegionKind.Rodata, 40, 0, "/bin/ls");
        var child = Fixtures.Fork(image.Mm);

        Assert.Equal(FailureCause.NotMapped, ProbeRead.Walk(child, filename, 8).Cause);
    }
}
