namespace ActorKernel.Model.Tests.Probe;

// fs/proc/task_mmu.c pte_to_pagemap_entry(): PM_PRESENT follows pte_present(), true for PROT_NONE on x86.
public class PageTableViewTests
{
    [Fact]
    public void Describe_ShowsProtNoneButPagemapBitSaysPresent()
    {
        var mm = new AddressSpace(1);
        var vma = Fixtures.AnonVma(Fixtures.Base, 3, name: "heap");
        mm.AddVma(vma);
        Fixtures.Write(mm, vma.StartAddr);
        Fixtures.Write(mm, vma.StartAddr + Pages.Size);
        mm.SetPte(vma.StartVpn + 1, mm.GetPte(vma.StartVpn + 1) with { State = PteState.ProtNone });

        var rows = PageTableView.Describe(mm);

        Assert.Equal(new[]
        {
            (PteState.Present, true, false),
            (PteState.ProtNone, true, false),
            (PteState.None, false, false),
        }, rows.Select(r => (r.State, r.PagemapPresent, r.PagemapSwapped)));
        Assert.All(rows, r => Assert.Equal(("heap", vma.StartAddr, vma.Prot), (r.VmaName, r.VmaStart, r.VmaProt)));
        Assert.Equal(new[] { vma.StartVpn, vma.StartVpn + 1, vma.StartVpn + 2 }, rows.Select(r => r.Vpn));
        Assert.Equal(-1, rows[2].HomeNode);
    }
}
