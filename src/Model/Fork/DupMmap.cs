namespace ActorKernel.Model;

/// <summary>
/// kernel/fork.c dup_mmap(), one VMA per <see cref="Step"/> so an actor can charge the
/// cost of each copy_page_range() while it holds the parent's mmap lock for write.
/// The parent's VMA list is snapshotted at <see cref="Begin"/> (the write lock freezes it).
/// </summary>
public sealed class DupMmap
{
    private readonly AddressSpace _parent;
    private readonly Vma[] _parentVmas;
    private readonly KernelProfile _profile;
    private int _next;

    private DupMmap(AddressSpace parent, int childMmId, KernelProfile k)
    {
        _parent = parent;
        _parentVmas = parent.Vmas.ToArray();
        _profile = k;
        Child = new AddressSpace(childMmId) { Arch = parent.Arch };
    }

    /// <summary>kernel/fork.c dup_mm() → dup_mmap(): start copying <paramref name="parent"/>.</summary>
    public static DupMmap Begin(AddressSpace parent, int childMmId, KernelProfile k)
    {
        ModelInvariantException.Check(!parent.IsReleased, $"fork of released mm {parent.Id}");
        ModelInvariantException.Check(parent.Id != childMmId, $"fork: child mm id {childMmId} equals the parent's");
        return new DupMmap(parent, childMmId, k);
    }

    /// <summary>The new mm (mm_users 1); complete once <see cref="IsDone"/>.</summary>
    public AddressSpace Child { get; }

    public bool IsDone => _next >= _parentVmas.Length;

    /// <summary>The parent VMA the next <see cref="Step"/> copies (vma_start_write() takes it first on 6.5+); null when done.</summary>
    public Vma? NextVma => IsDone ? null : _parentVmas[_next];

    /// <summary>VMAs in the parent at Begin.</summary>
    public int VmaCount => _parentVmas.Length;

    /// <summary>
    /// One iteration of dup_mmap()'s loop: vm_area_dup(), anon_vma_fork(), then
    /// copy_page_range() if vma_needs_copy().
    /// </summary>
    public DupMmapStep Step()
    {
        ModelInvariantException.Check(!IsDone, $"dup_mmap of mm {_parent.Id}: Step after the last VMA");
        var src = _parentVmas[_next++];

        if ((src.Flags & VmaFlags.DontCopy) != 0)
            return new DupMmapStep(src, 0, 0, VmaSkipped: true, VmaWiped: false);

        bool wipe = (src.Flags & VmaFlags.WipeOnFork) != 0;
        var dst = src.DupForChild(wipe);
        Child.AddVma(dst);
        if (wipe)
            return new DupMmapStep(src, 0, 0, VmaSkipped: false, VmaWiped: true);

        if (!ForkModel.VmaNeedsCopy(src, _profile))
        {
            int skipped = 0;
            var table = _parent.PageTable;
            for (var vpn = table.NextPopulated(src.StartVpn, src.EndVpn, out var pte); vpn < src.EndVpn; vpn = table.NextPopulated(vpn + 1, src.EndVpn, out pte))
            {
                if (pte.State is PteState.Present or PteState.ProtNone)
                {
                    Child.AddForkSkipped(vpn);
                    ProvenanceLog.Current?.ForkSkippedPte(_parent.Id, Child.Id, vpn, src, pte);
                    skipped++;
                }
            }
            return new DupMmapStep(src, 0, skipped, VmaSkipped: false, VmaWiped: false);
        }

        int copied = 0;
        // Each step changes only the PTE at vpn, so walking with a cursor sees what a copy taken first would.
        var parentTable = _parent.PageTable;
        for (var vpn = parentTable.NextPopulated(src.StartVpn, src.EndVpn, out var pte); vpn < src.EndVpn; vpn = parentTable.NextPopulated(vpn + 1, src.EndVpn, out pte))
        {
            var childPte = pte;
            // copy_present_pte(): a CoW mapping's writable PTE is write-protected in both mms.
            // PROT_NONE hint PTEs pass pte_present() on x86 and take the same path, staying PROT_NONE.
            if (pte.State is PteState.Present or PteState.ProtNone && src.IsCowMapping && pte.Writable)
            {
                childPte = pte with { Writable = false };
                _parent.SetPte(vpn, childPte);
            }
            // copy_present_pte() (6.8; 4.14 copy_one_pte(), 6.18 __copy_present_ptes()): pte_mkold() on
            // every PTE it copies, so the child's first access finds it old (ArchCaps.FaultsOnOldPte).
            Child.SetPte(vpn, pte.State is PteState.Present or PteState.ProtNone ? childPte with { Old = true } : childPte);
            copied++;
        }
        return new DupMmapStep(src, copied, 0, VmaSkipped: false, VmaWiped: false);
    }

    /// <summary>Runs the remaining steps; returns the child.</summary>
    public AddressSpace RunToCompletion()
    {
        while (!IsDone) Step();
        return Child;
    }
}
