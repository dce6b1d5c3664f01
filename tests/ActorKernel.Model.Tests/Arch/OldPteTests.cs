namespace ActorKernel.Model.Tests.Arch;

// Old PTEs (kernel-model.md §1.5): mm/memory.c copy_present_pte() → pte_mkold() on every copied PTE
// (4.14 copy_one_pte(), 6.8 copy_present_pte(), 6.18 __copy_present_ptes()); whether an access through
// an old PTE faults is include/linux/pgtable.h arch_has_hw_pte_young() (6.8, 6.18): x86-64 yes (Kconfig
// ARCH_HAS_HW_PTE_YOUNG), arm64 cpu_has_hw_af(), s390x no (its pte_mkold() sets _PAGE_INVALID).
public class OldPteTests
{
    private const ulong Start = Fixtures.Base;

    private static readonly ArchCaps Arm64NoAf = new(MachineArch.Arm64, HwPteYoung: false);
    private static readonly ArchCaps Arm64Af = new(MachineArch.Arm64, HwPteYoung: true);
    private static readonly ArchCaps S390x = new(MachineArch.S390x, HwPteYoung: false);

    private static AddressSpace ParentWithWrittenHeap(ArchCaps arch)
    {
        var mm = new AddressSpace(1) { Arch = arch };
        mm.AddVma(Fixtures.AnonVma(Start, 4, name: "[heap]"));
        Fixtures.Write(mm, Start);
        return mm;
    }

    [Fact]
    public void Fork_MakesEveryCopiedPteOld_AndLeavesTheParentYoung()
    {
        var parent = ParentWithWrittenHeap(ArchCaps.X86_64);
        var child = Fixtures.Fork(parent);
        var vpn = Pages.Vpn(Start);
        Assert.True(child.GetPte(vpn).Old);
        Assert.False(parent.GetPte(vpn).Old);
        Assert.Equal(parent.Arch, child.Arch);
    }

    [Fact]
    public void X86_OldPte_ReadsFine()
    {
        var child = Fixtures.Fork(ParentWithWrittenHeap(ArchCaps.X86_64));
        Assert.True(ProbeRead.Walk(child, Start, 16).Ok);
        Assert.Equal(FaultKind.None, FaultModel.Classify(child, Start, AccessKind.Read).Kind);
    }

    [Fact]
    public void Arm64WithHwAf_OldPte_ReadsFine()
    {
        var child = Fixtures.Fork(ParentWithWrittenHeap(Arm64Af));
        Assert.True(ProbeRead.Walk(child, Start, 16).Ok);
    }

    // arch/arm64/include/asm/pgtable.h: "On arm64 without hardware Access Flag, copying from user will
    // fail because the pte is old and cannot be marked young."
    [Fact]
    public void Arm64WithoutHwAf_ForkedChildsAnonymousString_FailsAsPteOld()
    {
        var child = Fixtures.Fork(ParentWithWrittenHeap(Arm64NoAf));
        var r = ProbeRead.Walk(child, Start, 16);
        Assert.False(r.Ok);
        Assert.Equal(FailureCause.PteOld, r.Cause);
        Assert.Equal("pte-old", r.Cause!.Value.ToKebab());
    }

    [Fact]
    public void S390x_PteMkoldInvalidates_FailsAsPteOld()
    {
        var child = Fixtures.Fork(ParentWithWrittenHeap(S390x));
        Assert.Equal(FailureCause.PteOld, ProbeRead.Walk(child, Start, 16).Cause);
    }

    // handle_pte_fault() on the access-flag fault: pte_mkyoung(); then the probe reads it.
    [Fact]
    public void Arm64WithoutHwAf_ChildsOwnTouch_TakesAnAccessFlagFault_ThenTheProbeReads()
    {
        var child = Fixtures.Fork(ParentWithWrittenHeap(Arm64NoAf));
        Assert.Equal(FaultKind.AccessFlag, FaultModel.Classify(child, Start, AccessKind.Read).Kind);
        var outcome = Fixtures.Read(child, Start);
        Assert.Equal(FaultKind.AccessFlag, outcome.Class.Kind);
        Assert.False(outcome.Major);
        Assert.False(child.GetPte(Pages.Vpn(Start)).Old);
        Assert.True(ProbeRead.Walk(child, Start, 16).Ok);
    }

    // A write to a write-protected old PTE is a CoW (do_wp_page()), which installs a young PTE.
    [Fact]
    public void Arm64WithoutHwAf_WriteToOldCowPte_IsCow()
    {
        var child = Fixtures.Fork(ParentWithWrittenHeap(Arm64NoAf));
        Assert.Equal(FaultKind.Cow, FaultModel.Classify(child, Start, AccessKind.Write).Kind);
        Fixtures.Write(child, Start);
        Assert.False(child.GetPte(Pages.Vpn(Start)).Old);
    }

    // The seed's minor-fault policy resolves the access-flag fault in place (a minor fault, no allocation).
    [Fact]
    public void InPlaceFault_ResolvesAnOldPte()
    {
        var child = Fixtures.Fork(ParentWithWrittenHeap(Arm64NoAf));
        var r = InPlaceFault.Read(child, Start, 16, InPlaceRules.MinorOnly(allowAlloc: false), FaultOptions.Default);
        Assert.True(r.Ok);
        Assert.Equal(FaultKind.AccessFlag, Assert.Single(r.Faults).Class.Kind);
    }

    // mm/rmap.c folio_referenced_one() → ptep_clear_flush_young_notify(): reclaim ages a PTE without any fork.
    [Fact]
    public void MakePteOld_AgesAPresentPte_AndReportsWhetherItWasYoung()
    {
        var mm = ParentWithWrittenHeap(Arm64NoAf);
        var vpn = Pages.Vpn(Start);
        Assert.True(mm.MakePteOld(vpn));
        Assert.False(mm.MakePteOld(vpn));
        Assert.Equal(FailureCause.PteOld, ProbeRead.Walk(mm, Start, 8).Cause);
        Assert.False(mm.MakePteOld(vpn + 1));
        Assert.Equal(PteState.None, mm.GetPte(vpn + 1).State);
    }

    [Fact]
    public void FaultInstalledPtes_AreYoung()
    {
        var mm = ParentWithWrittenHeap(Arm64NoAf);
        Assert.False(mm.GetPte(Pages.Vpn(Start)).Old);
    }

    [Fact]
    public void S390xWithHwYoung_IsRefused()
    {
        var (caps, error) = ArchCaps.Of(MachineArch.S390x, hwPteYoung: true);
        Assert.Null(caps);
        Assert.Contains("s390x", error);
        Assert.Equal(S390x, ArchCaps.Of(MachineArch.S390x, hwPteYoung: false).Caps);
        Assert.True(ArchCaps.Of(MachineArch.Arm64, hwPteYoung: false).Caps!.FaultsOnOldPte);
        Assert.False(ArchCaps.X86_64.FaultsOnOldPte);
    }

    [Fact]
    public void ArchNames_AreTheConfigurationNames()
    {
        Assert.Equal(new[] { "x86-64", "arm64", "s390x" }, Enum.GetValues<MachineArch>().Select(a => a.ToName()));
    }

    // do_numa_page() (6.8, 6.18): pte_modify() then pte_mkyoung(): a restored hint PTE is young.
    [Fact]
    public void NumaHintFault_RestoresAYoungPte()
    {
        var child = Fixtures.Fork(ParentWithWrittenHeap(Arm64NoAf));
        var vpn = Pages.Vpn(Start);
        child.SetPte(vpn, child.GetPte(vpn) with { State = PteState.ProtNone });
        Assert.Equal(FaultKind.NumaHint, Fixtures.Read(child, Start).Class.Kind);
        Assert.False(child.GetPte(vpn).Old);
        Assert.True(ProbeRead.Walk(child, Start, 8).Ok);
    }
}
