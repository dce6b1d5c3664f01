namespace ActorKernel.Model;

/// <summary>One page of <see cref="PageTableView.Describe"/>.</summary>
/// <param name="VmaName">The VMA's name.</param>
/// <param name="VmaStart">The VMA's first address.</param>
/// <param name="VmaProt">The VMA's protection.</param>
/// <param name="Vpn">Virtual page number.</param>
/// <param name="State">What the model knows: present, protnone (a NUMA hint), swapped or none.</param>
/// <param name="HomeNode">Node of the frame (-1 when no frame is mapped).</param>
/// <param name="PagemapPresent">/proc/pid/pagemap bit 63 (fs/proc/task_mmu.c pte_to_pagemap_entry()): pte_present(), true for protnone on x86.</param>
/// <param name="PagemapSwapped">/proc/pid/pagemap bit 62.</param>
public readonly record struct PageTableRow(string VmaName, ulong VmaStart, VmaProt VmaProt, ulong Vpn, PteState State, int HomeNode, bool PagemapPresent, bool PagemapSwapped);

/// <summary>The page-table view of an mm, for the pagemap command and scenario tests.</summary>
public static class PageTableView
{
    /// <summary>
    /// Every page of every VMA, in address order, with the model's state, the frame's home node,
    /// and the bits fs/proc/task_mmu.c pte_to_pagemap_entry() would report.
    /// </summary>
    public static IReadOnlyList<PageTableRow> Describe(AddressSpace mm)
    {
        var rows = new List<PageTableRow>();
        foreach (var vma in mm.Vmas)
        {
            for (ulong vpn = vma.StartVpn; vpn < vma.EndVpn; vpn++)
            {
                var pte = mm.GetPte(vpn);
                bool mapped = pte.State is PteState.Present or PteState.ProtNone;
                rows.Add(new PageTableRow(vma.Name, vma.StartAddr, vma.Prot, vpn, pte.State, mapped ? pte.HomeNode : -1,
                    mapped, pte.State == PteState.Swapped));
            }
        }
        return rows;
    }
}
