namespace ActorKernel.Model;

/// <summary>The reverse map of a page-cache page: which PTEs of which mms map it.</summary>
public static class Rmap
{
    /// <summary>
    /// mm/rmap.c rmap_walk_file() (4.14, 6.8, 6.18): the PTEs that map page <paramref name="page"/> of
    /// <paramref name="file"/>, mm by mm in <paramref name="mms"/> order, VMA by VMA (the i_mmap interval
    /// tree's candidates, then page_vma_mapped_walk()'s check that the PTE maps this very page).
    /// </summary>
    public static IEnumerable<(AddressSpace Mm, ulong Vpn)> FileMappings(IReadOnlyList<AddressSpace> mms, FileObject file, long page)
    {
        foreach (var mm in mms)
        {
            foreach (var vma in mm.Vmas)
            {
                if (vma.File != file || page < vma.FilePageOffset || page >= vma.FilePageOffset + vma.PageCount) continue;
                var vpn = vma.StartVpn + (ulong)(page - vma.FilePageOffset);
                var pte = mm.GetPte(vpn);
                if (pte.MapsFilePage && pte.FilePage == page) yield return (mm, vpn);
            }
        }
    }
}
