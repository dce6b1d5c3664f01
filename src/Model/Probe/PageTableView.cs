namespace ActorKernel.Model;

/// <summary>One page of <see cref="PageTableView.Describe"/>.</summary>
/// <param name="VmaName">The VMA's name.</param>
/// <param name="Vpn">Virtual page number.</param>
/// <param name="State">What the model knows (distinguishes PROT_NONE).</param>
/// <param name="PagemapPresent">/proc/pid/pagemap bit 63: true for Present and ProtNone (x86 pte_present()).</param>
public readonly record struct PageTableRow(string VmaName, ulong Vpn, PteState State, bool PagemapPresent);

/// <summary>Page-table views for reports.</summary>
public static class PageTableView
{
    /// <summary>
    /// Every page of every VMA, in address order, with the model state and the bit
    /// fs/proc/task_mmu.c pte_to_pagemap_entry() would report.
    /// </summary>
    public static IReadOnlyList<PageTableRow> Describe(AddressSpace mm)
    {
        var rows = new List<PageTableRow>();
        foreach (var vma in mm.Vmas)
        {
            for (ulong vpn = vma.StartVpn; vpn < vma.EndVpn; vpn++)
            {
                var state = mm.GetPte(vpn).State;
                rows.Add(new PageTableRow(vma.Name, vpn, state, state is PteState.Present or PteState.ProtNone));
            }
        }
        return rows;
    }
}
