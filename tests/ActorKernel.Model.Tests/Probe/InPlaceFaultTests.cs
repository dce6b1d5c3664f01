using static ActorKernel.Model.Tests.Fixtures;

namespace ActorKernel.Model.Tests.Probe;

/// <summary>
/// The seed's proposal as a model rule: a probe read that handles a minor fault in place
/// (fault-around for file pages, PTE restore for NUMA hints) and refuses major faults and,
/// unless allowed, anonymous first touches (kernel-model.md §4, §5).
/// </summary>
public sealed class InPlaceFaultTests
{
    private static (AddressSpace Mm, Vma File, Vma Anon, FileObject Prog) Build(PageCacheState cache = PageCacheState.Cached)
    {
        var prog = new FileObject("prog", 32, cache);
        var mm = new AddressSpace(1);
        var file = FileVma(Base, 32, prog, name: "prog .rodata");
        var anon = AnonVma(Base + 0x20_0000, 8);
        mm.AddVma(file);
        mm.AddVma(anon);
        return (mm, file, anon, prog);
    }

    [Fact]
    public void CachedFilePage_MinorFault_ResolvedWithFaultAround()
    {
        var (mm, file, _, _) = Build();
        var r = InPlaceFault.Read(mm, Addr(file.StartAddr, 5, 100), 20, InPlaceRules.MinorOnly(false), FaultOptions.Default);
        Assert.True(r.Ok);
        var f = Assert.Single(r.Faults);
        Assert.Equal(FaultKind.FileRead, f.Class.Kind);
        Assert.False(f.Major);
        // do_fault_around(): the whole aligned 16-page window is mapped, so argv strings nearby read next without a fault.
        Assert.Equal(16, f.PagesMapped);
        Assert.True(ProbeRead.Walk(mm, Addr(file.StartAddr, 12), 8).Ok);
        Assert.False(ProbeRead.Walk(mm, Addr(file.StartAddr, 16), 8).Ok);
    }

    [Fact]
    public void UncachedFilePage_IsMajor_RefusedByMinorOnly_ResolvedBySleepable()
    {
        var (mm, file, _, _) = Build(PageCacheState.NotCached);
        var minor = InPlaceFault.Read(mm, Addr(file.StartAddr, 5), 8, InPlaceRules.MinorOnly(true), FaultOptions.Default);
        Assert.Equal((false, FailureCause.MajorFault), (minor.Ok, minor.Cause));
        Assert.Equal(PteState.None, mm.GetPte(Pages.Vpn(Addr(file.StartAddr, 5))).State);

        var full = InPlaceFault.Read(mm, Addr(file.StartAddr, 5), 8, InPlaceRules.Full, FaultOptions.Default);
        Assert.True(full.Ok);
        Assert.True(Assert.Single(full.Faults).Major);
    }

    [Fact]
    public void AnonFirstTouch_NeedsAlloc_UnlessAllowed()
    {
        var (mm, _, anon, _) = Build();
        var refused = InPlaceFault.Read(mm, Addr(anon.StartAddr, 1), 8, InPlaceRules.MinorOnly(false), FaultOptions.Default);
        Assert.Equal((false, FailureCause.NeedsAlloc), (refused.Ok, refused.Cause));

        var allowed = InPlaceFault.Read(mm, Addr(anon.StartAddr, 1), 8, InPlaceRules.MinorOnly(true), FaultOptions.Default);
        Assert.True(allowed.Ok);
        // do_anonymous_page() read: the shared zero page.
        Assert.True(mm.GetPte(Pages.Vpn(Addr(anon.StartAddr, 1))).IsZeroPage);
    }

    [Fact]
    public void NumaHintPte_RestoredInPlace_NotMigrated()
    {
        var (mm, _, anon, _) = Build();
        ulong vpn = Pages.Vpn(Addr(anon.StartAddr, 2));
        mm.SetPte(vpn, Pte.Anon(writable: true, homeNode: 1) with { State = PteState.ProtNone });
        var r = InPlaceFault.Read(mm, Addr(anon.StartAddr, 2), 8, InPlaceRules.MinorOnly(false), FaultOptions.Default);
        Assert.True(r.Ok);
        var f = Assert.Single(r.Faults);
        Assert.Equal((FaultKind.NumaHint, false), (f.Class.Kind, f.Migrated));
        Assert.Equal((PteState.Present, 1), (mm.GetPte(vpn).State, mm.GetPte(vpn).HomeNode));
    }

    [Fact]
    public void SwappedPage_IsMajor()
    {
        var (mm, _, anon, _) = Build();
        mm.SetPte(Pages.Vpn(anon.StartAddr), new Pte(PteState.Swapped, false, false, true, 0, -1));
        var r = InPlaceFault.Read(mm, anon.StartAddr, 8, InPlaceRules.MinorOnly(true), FaultOptions.Default);
        Assert.Equal(FailureCause.MajorFault, r.Cause);
    }

    [Fact]
    public void NoVma_BadAddress()
    {
        var (mm, _, _, _) = Build();
        Assert.Equal(FailureCause.BadAddress, InPlaceFault.Read(mm, 0x1000, 8, InPlaceRules.Full, FaultOptions.Default).Cause);
    }

    [Fact]
    public void PresentPage_NoFault()
    {
        var (mm, file, _, _) = Build();
        Read(mm, Addr(file.StartAddr, 3));
        var r = InPlaceFault.Read(mm, Addr(file.StartAddr, 3), 8, InPlaceRules.MinorOnly(false), FaultOptions.Default);
        Assert.True(r.Ok);
        Assert.Empty(r.Faults);
    }
}
