namespace ActorKernel.Model.Tests.Image;

// fs/binfmt_elf.c load_elf_binary() + ld.so: the x86-64 PIE layout the model uses.
public class ProcessImageTests
{
    [Fact]
    public void Build_LaysOutPieWithAlignedRegions()
    {
        var image = ImageFixtures.Build();

        var text = image.RegionOf(RegionKind.Text);
        Assert.True(text.StartAddr >= ProcessImage.ProgBase);
        Assert.All(image.Regions.Where(r => r.Kind != RegionKind.Stack),
            r => Assert.Equal(0UL, r.StartAddr % Pages.Size));
        Assert.Equal(ProcessImage.StackTop, image.RegionOf(RegionKind.Stack).EndAddr);
        Assert.Equal(ProcessImage.LibcBase, image.RegionOf(RegionKind.LibcText).StartAddr);
        Assert.Equal(image.Regions.Select(r => r.StartAddr).Order(), image.Regions.Select(r => r.StartAddr));
        Assert.Equal(11, image.Mm.Vmas.Count);
    }

    // fs/binfmt_elf.c load_elf_binary(): each PT_LOAD is mapped at its page-aligned p_vaddr, so by default a
    // region follows the previous one on the next page; a larger alignment rounds every region start up to it.
    [Theory]
    [InlineData(4096)]
    [InlineData(65536)]
    public void Build_RegionsStartOnTheConfiguredAlignment_NextToThePrevious(int alignBytes)
    {
        var image = ImageFixtures.Build(layout: new ImageLayout { RegionAlignBytes = alignBytes });
        var text = image.RegionOf(RegionKind.Text);
        var rodata = image.RegionOf(RegionKind.Rodata);
        Assert.All(image.Regions.Where(r => r.Kind != RegionKind.Stack), r => Assert.Equal(0UL, r.StartAddr % (ulong)alignBytes));
        Assert.Equal((text.EndAddr + (ulong)alignBytes - 1) & ~((ulong)alignBytes - 1), rodata.StartAddr);
        if (alignBytes == Pages.Size) Assert.Equal(ProcessImage.ProgBase, text.StartAddr);
    }

    [Fact]
    public void Build_ProtectionsKindsAndAnonVmas()
    {
        var image = ImageFixtures.Build();
        Vma V(RegionKind k) => image.RegionOf(k).Vma;

        Assert.Equal(VmaProt.Read | VmaProt.Exec, V(RegionKind.Text).Prot);
        Assert.Equal(VmaProt.Read, V(RegionKind.Rodata).Prot);
        Assert.Equal(VmaKind.FilePrivate, V(RegionKind.Relro).Kind);
        Assert.True(V(RegionKind.Relro).HasAnonVma);
        Assert.True(V(RegionKind.Data).HasAnonVma);
        Assert.True(V(RegionKind.LibcData).HasAnonVma);
        Assert.False(V(RegionKind.Rodata).HasAnonVma);
        Assert.False(V(RegionKind.Text).HasAnonVma);
        Assert.Equal(VmaKind.Stack, V(RegionKind.Stack).Kind);
        Assert.Equal(VmaKind.Vdso, V(RegionKind.Vdso).Kind);
        Assert.Equal(V(RegionKind.Text).FilePageOffset + 16, V(RegionKind.Rodata).FilePageOffset);
    }

    [Fact]
    public void PlaceString_RecordsLengthWithNul()
    {
        var image = ImageFixtures.Build();
        var addr = image.PlaceString(RegionKind.Rodata, 5, 100, "/bin/sh");

        Assert.Equal(image.RegionOf(RegionKind.Rodata).Addr(5, 100), addr);
        Assert.Equal(8, image.PlacementAt(addr).LengthBytes);
        Assert.Equal("/bin/sh", image.PlacementAt(addr).Text);
    }

    [Fact]
    public void PlaceString_CrossingPage_RequiresConsent()
    {
        var image = ImageFixtures.Build();
        Assert.Throws<ModelInvariantException>(() => image.PlaceString(RegionKind.Rodata, 5, Pages.Size - 4, "/bin/sh"));
        var addr = image.PlaceString(RegionKind.Rodata, 5, Pages.Size - 4, "/bin/sh", allowCrossPage: true);
        image.TouchRead(addr);
        Assert.Equal(new ProbeReadResult(true, null, 0, 2), ProbeRead.Walk(image.Mm, addr, 8));
    }

    [Fact]
    public void PlacePointerArray_IsNullTerminatedAndMayNotOverlap()
    {
        var image = ImageFixtures.Build();
        var s = image.PlaceString(RegionKind.Rodata, 0, 0, "ls");
        var argv = image.PlacePointerArray(RegionKind.Stack, 32, 0, new[] { s, s });

        Assert.Equal(24, image.PlacementAt(argv).LengthBytes);
        Assert.Throws<ModelInvariantException>(() => image.PlaceString(RegionKind.Stack, 32, 16, "x"));
        Assert.Equal(2, image.Placements.Count);
    }

    [Fact]
    public void PopulateTypical_WritesAnonAndDataReadsTextLeavesRodata()
    {
        var image = ImageFixtures.Build();
        image.PopulateTypical();
        int Present(RegionKind k)
        {
            var vma = image.RegionOf(k).Vma;
            return image.Mm.PageTable.Range(vma.StartVpn, vma.EndVpn).Count(e => e.Pte.State == PteState.Present);
        }

        foreach (var k in new[] { RegionKind.Text, RegionKind.Relro, RegionKind.Data, RegionKind.Bss, RegionKind.Heap,
                     RegionKind.Stack, RegionKind.LibcText, RegionKind.LibcData, RegionKind.Vdso })
            Assert.Equal(image.RegionOf(k).Pages, Present(k));
        Assert.Equal(0, Present(RegionKind.Rodata));
        Assert.Equal(0, Present(RegionKind.LibcRodata));
        Assert.True(image.RegionOf(RegionKind.Bss).Vma.HasAnonVma);
        Assert.True(image.RegionOf(RegionKind.Heap).Vma.HasAnonVma);
        Assert.True(image.RegionOf(RegionKind.Stack).Vma.HasAnonVma);
        Assert.True(image.Mm.GetPte(image.RegionOf(RegionKind.Data).Vma.StartVpn).IsAnon);
    }

    [Fact]
    public void TouchWrite_ToText_IsInvariantViolation()
    {
        var image = ImageFixtures.Build();
        Assert.Throws<ModelInvariantException>(() => image.TouchWrite(image.RegionOf(RegionKind.Text).StartAddr));
    }

    // ASLR (mm/util.c arch_mmap_rnd()) moves the mmap base by whole pages: libc's VMAs move together, file pages stay.
    [Fact]
    public void Build_LibcLoadOffset_MovesEveryLibcRegionByThatManyPages()
    {
        var at0 = ImageFixtures.Build();
        var at7 = ImageFixtures.Build(layout: new ImageLayout { LibcLoadOffsetPages = 7 });
        foreach (var k in new[] { RegionKind.LibcText, RegionKind.LibcRodata, RegionKind.LibcData, RegionKind.Vdso })
            Assert.Equal(at0.RegionOf(k).StartAddr + 7 * (ulong)Pages.Size, at7.RegionOf(k).StartAddr);
        Assert.Equal(at0.RegionOf(RegionKind.LibcRodata).Vma.FilePageOffset, at7.RegionOf(RegionKind.LibcRodata).Vma.FilePageOffset);
        Assert.Equal(at0.RegionOf(RegionKind.Rodata).StartAddr, at7.RegionOf(RegionKind.Rodata).StartAddr);
        Assert.Throws<ModelInvariantException>(() => ImageFixtures.Build(layout: new ImageLayout { LibcLoadOffsetPages = ImageLayout.MaxLibcLoadOffsetPages + 1 }));
    }

    [Fact]
    public void ForProcess_DrawsTheLibcOffsetOnlyWhenRandom()
    {
        var fixedAt3 = new ImageLayout { LibcLoadOffsetPages = 3 };
        Assert.Same(fixedAt3, fixedAt3.ForProcess(_ => throw new InvalidOperationException("no draw for a fixed offset")));

        var bound = 0;
        var drawn = new ImageLayout { LibcLoadOffsetRandom = true }.ForProcess(n => { bound = n; return 42; });
        Assert.Equal(ImageLayout.MaxLibcLoadOffsetPages + 1, bound);
        Assert.Equal(42, drawn.LibcLoadOffsetPages);
        Assert.False(drawn.LibcLoadOffsetRandom);
    }
}
