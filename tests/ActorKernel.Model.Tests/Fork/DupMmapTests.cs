namespace ActorKernel.Model.Tests.Fork;

// kernel/fork.c dup_mmap() → mm/memory.c copy_page_range(); docs/kernel-model.md §8.
public class DupMmapTests
{
    private const ulong Rodata = Fixtures.Base;
    private const ulong Data = Fixtures.Base + 0x10_0000;
    private const ulong Bss = Fixtures.Base + 0x20_0000;

    [Fact]
    public void RodataReadByParent_HasNoPteInChild()
    {
        var file = new FileObject("prog", 32);
        var parent = new AddressSpace(1);
        var rodata = Fixtures.FileVma(Rodata, 16, file, name: "prog .rodata");
        parent.AddVma(rodata);
        Fixtures.Read(parent, Fixtures.Addr(Rodata, 3));
        Assert.Equal(16, parent.PageTable.PopulatedCount);

        var fork = DupMmap.Begin(parent, 2, Fixtures.Kernel618);
        var step = fork.Step();

        Assert.True(fork.IsDone);
        Assert.Equal(0, step.PtesCopied);
        Assert.Equal(16, step.PresentPtesSkipped);
        var child = fork.Child;
        Assert.Equal(PteState.None, child.GetPte(Pages.Vpn(Fixtures.Addr(Rodata, 3))).State);
        Assert.Contains(Pages.Vpn(Fixtures.Addr(Rodata, 3)), child.ForkSkippedPages);
        Assert.False(child.Vmas[0].HasAnonVma);
        Assert.Equal(1, file.MapCount(3)); // only the parent maps it
    }

    [Fact]
    public void WrittenAnonymousMemory_IsCopiedWriteProtectedInBoth()
    {
        var parent = new AddressSpace(1);
        parent.AddVma(Fixtures.AnonVma(Bss, 4, name: "bss"));
        parent.AddVma(Fixtures.AnonVma(Bss + 0x10_0000, 4, VmaKind.Stack, name: "[stack]"));
        Fixtures.Write(parent, Fixtures.Addr(Bss, 0));
        Fixtures.Write(parent, Fixtures.Addr(Bss, 2));
        Fixtures.Write(parent, Fixtures.Addr(Bss + 0x10_0000, 3));

        var child = Fixtures.Fork(parent);

        foreach (var addr in new[] { Fixtures.Addr(Bss, 0), Fixtures.Addr(Bss, 2), Fixtures.Addr(Bss + 0x10_0000, 3) })
        {
            var vpn = Pages.Vpn(addr);
            Assert.Equal(PteState.Present, child.GetPte(vpn).State);
            Assert.False(child.GetPte(vpn).Writable);
            Assert.False(parent.GetPte(vpn).Writable);
            Assert.Equal(FaultKind.Cow, FaultModel.Classify(child, addr, AccessKind.Write).Kind);
        }
        Assert.True(child.Vmas.All(v => v.HasAnonVma));
        Assert.Empty(child.ForkSkippedPages);
    }

    // One written page gives the VMA an anon_vma, so every present page is copied.
    [Fact]
    public void PrivateFileMappingWithOneWrittenPage_CopiesAllPresentPages()
    {
        var file = new FileObject("data", 16);
        var parent = new AddressSpace(1);
        var data = Fixtures.FileVma(Data, 16, file, prot: VmaProt.Read | VmaProt.Write, name: "mapped file");
        parent.AddVma(data);
        Fixtures.Read(parent, Fixtures.Addr(Data, 0));   // fault-around maps 16 file pages
        Fixtures.Write(parent, Fixtures.Addr(Data, 5));  // CoW: anon_vma

        var fork = DupMmap.Begin(parent, 2, Fixtures.Kernel618);
        var step = fork.Step();
        var child = fork.Child;

        Assert.Equal(16, step.PtesCopied);
        Assert.True(child.Vmas[0].HasAnonVma);
        Assert.False(child.GetPte(data.StartVpn).IsAnon);
        Assert.True(child.GetPte(data.StartVpn + 5).IsAnon);
        Assert.Equal(2, file.MapCount(0));
        Assert.Equal(0, file.MapCount(5));
    }

    // shmem has no anon_vma, ever: not copied even when written.
    [Fact]
    public void SharedAnonymousWritten_IsNotCopied()
    {
        var parent = new AddressSpace(1);
        parent.AddVma(Fixtures.AnonVma(Data, 4, VmaKind.AnonShared, name: "shmem"));
        Fixtures.Write(parent, Fixtures.Addr(Data, 1));

        var child = Fixtures.Fork(parent);

        Assert.Equal(PteState.None, child.GetPte(Pages.Vpn(Fixtures.Addr(Data, 1))).State);
        Assert.Equal(FailureCause.ForkSkippedPte, ProbeRead.Walk(child, Fixtures.Addr(Data, 1), 8).Cause);
    }

    [Fact]
    public void SharedFileWritten_IsNotCopied()
    {
        var file = new FileObject("shared", 4);
        var parent = new AddressSpace(1);
        parent.AddVma(Fixtures.FileVma(Data, 4, file, VmaKind.FileShared, VmaProt.Read | VmaProt.Write));
        Fixtures.Write(parent, Fixtures.Addr(Data, 1));

        var child = Fixtures.Fork(parent);

        Assert.Equal(0, child.PageTable.PopulatedCount);
    }

    // do_anonymous_page() read maps the zero page without anon_vma_prepare().
    [Fact]
    public void PrivateAnonymousOnlyRead_IsNotCopied()
    {
        var parent = new AddressSpace(1);
        parent.AddVma(Fixtures.AnonVma(Bss, 4));
        Fixtures.Read(parent, Fixtures.Addr(Bss, 0));

        var child = Fixtures.Fork(parent);

        Assert.Equal(PteState.None, child.GetPte(Pages.Vpn(Bss)).State);
        Assert.Equal(FailureCause.ForkSkippedPte, ProbeRead.Walk(child, Bss, 8).Cause);
    }

    // copy_present_pte(): the zero page stays the zero page in a copied VMA.
    [Fact]
    public void ZeroPageInCopiedVma_IsCopiedAsZeroPage()
    {
        var parent = new AddressSpace(1);
        parent.AddVma(Fixtures.AnonVma(Bss, 4));
        Fixtures.Read(parent, Fixtures.Addr(Bss, 0));
        Fixtures.Write(parent, Fixtures.Addr(Bss, 1));

        var child = Fixtures.Fork(parent);

        Assert.True(child.GetPte(Pages.Vpn(Bss)).IsZeroPage);
        Assert.Equal(PteState.Present, child.GetPte(Pages.Vpn(Bss)).State);
    }

    // A NUMA hint PTE passes pte_present() on x86 and is copied as PROT_NONE.
    [Fact]
    public void ProtNoneInCopiedVma_StaysProtNone()
    {
        var parent = new AddressSpace(1);
        parent.AddVma(Fixtures.AnonVma(Bss, 2));
        Fixtures.Write(parent, Bss);
        var vpn = Pages.Vpn(Bss);
        parent.SetPte(vpn, parent.GetPte(vpn) with { State = PteState.ProtNone });

        var child = Fixtures.Fork(parent);

        Assert.Equal(PteState.ProtNone, child.GetPte(vpn).State);
        Assert.Equal(FailureCause.NumaProtNone, ProbeRead.Walk(child, Bss, 8).Cause);
    }

    [Fact]
    public void SwapEntryInCopiedVma_IsCopied()
    {
        var parent = new AddressSpace(1);
        parent.AddVma(Fixtures.AnonVma(Bss, 2));
        Fixtures.Write(parent, Bss);
        var vpn = Pages.Vpn(Bss);
        parent.SetPte(vpn, parent.GetPte(vpn) with { State = PteState.Swapped });

        var child = Fixtures.Fork(parent);

        Assert.Equal(PteState.Swapped, child.GetPte(vpn).State);
        Assert.Equal(FailureCause.SwappedOut, ProbeRead.Walk(child, Bss, 8).Cause);
    }

    // MADV_DONTFORK: dup_mmap() `continue`s before vm_area_dup().
    [Fact]
    public void DontCopy_ChildGetsNoVma()
    {
        var parent = new AddressSpace(1);
        parent.AddVma(Fixtures.AnonVma(Bss, 2, flags: VmaFlags.DontCopy));
        Fixtures.Write(parent, Bss);

        var fork = DupMmap.Begin(parent, 2, Fixtures.Kernel618);
        var step = fork.Step();

        Assert.True(step.VmaSkipped);
        Assert.Empty(fork.Child.Vmas);
        Assert.Equal(FailureCause.BadAddress, ProbeRead.Walk(fork.Child, Bss, 8).Cause);
    }

    // MADV_WIPEONFORK (4.14+): empty child VMA, no anon_vma, no PTEs.
    [Fact]
    public void WipeOnFork_ChildGetsEmptyVmaWithoutAnonVma()
    {
        var parent = new AddressSpace(1);
        parent.AddVma(Fixtures.AnonVma(Bss, 2, flags: VmaFlags.WipeOnFork));
        Fixtures.Write(parent, Bss);

        var fork = DupMmap.Begin(parent, 2, Fixtures.Kernel618);
        var step = fork.Step();

        Assert.True(step.VmaWiped);
        Assert.Single(fork.Child.Vmas);
        Assert.False(fork.Child.Vmas[0].HasAnonVma);
        Assert.Equal(0, fork.Child.PageTable.PopulatedCount);
        Assert.Equal(FailureCause.NotMapped, ProbeRead.Walk(fork.Child, Bss, 8).Cause);
    }

    [Fact]
    public void HugetlbWritten_CopiedOnlyOnOldKernels()
    {
        var file = new FileObject("hugetlbfs", 4);
        AddressSpace Parent()
        {
            var p = new AddressSpace(1);
            p.AddVma(Fixtures.FileVma(Data, 4, file, VmaKind.FileShared, VmaProt.Read | VmaProt.Write, flags: VmaFlags.Hugetlb));
            Fixtures.Write(p, Data);
            return p;
        }

        Assert.Equal(1, Fixtures.Fork(Parent(), Fixtures.Kernel414).PageTable.PopulatedCount);
        Assert.Equal(0, Fixtures.Fork(Parent(), Fixtures.Kernel618).PageTable.PopulatedCount);
    }

    // Whether the parent touched a page does not matter; the child's own access maps the window.
    [Fact]
    public void ChildAccessInSameWindow_MapsTheSkippedPage()
    {
        var file = new FileObject("prog", 16);
        var parent = new AddressSpace(1);
        parent.AddVma(Fixtures.FileVma(Rodata, 16, file, name: "prog .rodata"));
        Fixtures.Read(parent, Rodata);
        var child = Fixtures.Fork(parent);
        Assert.Equal(FailureCause.ForkSkippedPte, ProbeRead.Walk(child, Fixtures.Addr(Rodata, 7), 16).Cause);

        Fixtures.Read(child, Fixtures.Addr(Rodata, 2));

        Assert.True(ProbeRead.Walk(child, Fixtures.Addr(Rodata, 7), 16).Ok);
    }

    [Fact]
    public void Step_AfterDone_IsInvariantViolation()
    {
        var fork = DupMmap.Begin(new AddressSpace(1), 2, Fixtures.Kernel618);
        Assert.True(fork.IsDone);
        Assert.Throws<ModelInvariantException>(() => fork.Step());
    }
}
