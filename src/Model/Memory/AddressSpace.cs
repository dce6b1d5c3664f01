namespace ActorKernel.Model;

/// <summary>
/// A struct mm_struct: sorted, non-overlapping VMAs and their page tables. Installing or
/// clearing a PTE through it keeps the backing <see cref="FileObject"/> mapcount in step.
/// </summary>
public sealed class AddressSpace
{
    private readonly List<Vma> _vmas = new();
    private readonly VpnSet _forkSkippedPages = new();
    private bool _released;

    public AddressSpace(int id)
    {
        Id = id;
    }

    public int Id { get; }

    /// <summary>VMAs sorted by start address (the maple tree order).</summary>
    public IReadOnlyList<Vma> Vmas => _vmas;

    public PageTable PageTable { get; } = new();

    /// <summary>
    /// The MMU this mm runs on (mm->context is per architecture): whether an old PTE faults. Set by
    /// the machine when the mm is attached (machine.arch, machine.hw-pte-young); x86-64 otherwise.
    /// </summary>
    public ArchCaps Arch { get; set; } = ArchCaps.X86_64;

    private int _mmUsers = 1;

    /// <summary>mm->mm_users: threads sharing this mm (NUMA balancing treats 1 specially).</summary>
    public int MmUsers
    {
        get => _mmUsers;
        set
        {
            ModelInvariantException.Check(value >= 0, $"mm {Id}: mm_users {value} < 0");
            _mmUsers = value;
        }
    }

    /// <summary>
    /// VPNs present (or PROT_NONE) in the parent at fork whose PTE dup_mmap did not copy
    /// into this child (vma_needs_copy() false). Used only to classify probe failures; emptied
    /// by <see cref="Release"/>, which gives its bitmaps back for the next child.
    /// </summary>
    public VpnSet ForkSkippedPages => _forkSkippedPages;

    internal void AddForkSkipped(ulong vpn) => _forkSkippedPages.Add(vpn);

    /// <summary>mm/mmap.c find_vma() restricted to a containing VMA (vma_lookup()).</summary>
    public Vma? FindVma(ulong addr)
    {
        int lo = 0, hi = _vmas.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            var v = _vmas[mid];
            if (addr < v.StartAddr) hi = mid - 1;
            else if (addr >= v.EndAddr) lo = mid + 1;
            else return v;
        }
        return null;
    }

    /// <summary>The heap VMA (mm->start_brk..brk; named "[heap]" as /proc/pid/maps does), which brk(2) changes, or null.</summary>
    public Vma? Heap => _vmas.Find(v => v.Name == "[heap]");

    /// <summary>Inserts a VMA (mmap / vma_link); overlapping an existing VMA is an invariant violation.</summary>
    public void AddVma(Vma vma)
    {
        CheckLive("AddVma");
        int i = 0;
        while (i < _vmas.Count && _vmas[i].StartAddr < vma.StartAddr) i++;
        ModelInvariantException.Check(i == 0 || _vmas[i - 1].EndAddr <= vma.StartAddr,
            $"mm {Id}: VMA {vma} overlaps {(i > 0 ? _vmas[i - 1] : null)}");
        ModelInvariantException.Check(i == _vmas.Count || vma.EndAddr <= _vmas[i].StartAddr,
            $"mm {Id}: VMA {vma} overlaps {(i < _vmas.Count ? _vmas[i] : null)}");
        _vmas.Insert(i, vma);
    }

    /// <summary>munmap of a whole VMA: zap its PTEs (zap_pte_range), then unlink it.</summary>
    public void RemoveVma(Vma vma)
    {
        CheckLive("RemoveVma");
        int i = _vmas.IndexOf(vma);
        ModelInvariantException.Check(i >= 0, $"mm {Id}: RemoveVma of {vma} not in this mm");
        ZapRange(vma);
        if (_forkSkippedPages.Count > 0) _forkSkippedPages.RemoveRange(vma.StartVpn, vma.EndVpn);
        _vmas.RemoveAt(i);
    }

    /// <summary>The entry for a page, or <see cref="Pte.Empty"/>.</summary>
    public Pte GetPte(ulong vpn) => PageTable.Get(vpn);

    /// <summary>set_pte_at() with rmap accounting: the old file page (if any) is unmapped, the new one mapped.</summary>
    public void SetPte(ulong vpn, Pte pte)
    {
        CheckLive("SetPte");
        var vma = FindVma(Pages.AddrOf(vpn));
        ModelInvariantException.Check(vma is not null, $"mm {Id}: SetPte at vpn {vpn:x} outside any VMA");
        ModelInvariantException.Check(!(pte.FilePage >= 0 && vma!.File is not null && pte.FilePage != vma.FilePageOf(vpn)),
            $"mm {Id}: PTE at vpn {vpn:x} maps file page {pte.FilePage}, VMA {vma!.Name} expects {(vma.File is null ? -1 : vma.FilePageOf(vpn))}");
        ModelInvariantException.Check(!(pte.State == PteState.Swapped && pte.FilePage >= 0),
            $"mm {Id}: swap entry at vpn {vpn:x} for a file page (file pages are dropped, not swapped)");
        var old = PageTable.Get(vpn);
        ProvenanceLog.Current?.PteSet(Id, vpn, old, pte);
        if (old.MapsFilePage && vma.File is not null) vma.File.Unmap(old.FilePage);
        PageTable.Set(vpn, pte);
        if (pte.MapsFilePage && vma.File is not null) vma.File.Map(pte.FilePage);
    }

    /// <summary>
    /// Makes the page's PTE old: ptep_test_and_clear_young() as reclaim's folio_referenced_one() →
    /// ptep_clear_flush_young_notify() does it (mm/rmap.c, 6.8, 6.18), and as a scenario's explicit
    /// "age this page". Only a present or PROT_NONE PTE has an accessed bit; returns whether it was
    /// young (the referenced test).
    /// </summary>
    public bool MakePteOld(ulong vpn)
    {
        CheckLive("MakePteOld");
        var pte = PageTable.Get(vpn);
        if (pte.State is not (PteState.Present or PteState.ProtNone) || pte.Old) return false;
        var old = pte with { Old = true };
        ProvenanceLog.Current?.PteSet(Id, vpn, pte, old);
        PageTable.Set(vpn, old);
        return true;
    }

    /// <summary>
    /// The MMU sets the accessed bit of an old PTE an access went through (x86-64, arm64 with FEAT_HAFDBS:
    /// <see cref="ArchCaps.HwPteYoung"/>); without that hardware the access-flag fault does it instead
    /// (<see cref="FaultModel"/>, pte_mkyoung()).
    /// </summary>
    public void MakePteYoung(ulong vpn)
    {
        CheckLive("MakePteYoung");
        var pte = PageTable.Get(vpn);
        if (pte.State != PteState.Present || !pte.Old) return;
        var young = pte with { Old = false };
        ProvenanceLog.Current?.PteSet(Id, vpn, pte, young);
        PageTable.Set(vpn, young);
    }

    /// <summary>pte_clear() with rmap accounting.</summary>
    public void ClearPte(ulong vpn)
    {
        CheckLive("ClearPte");
        var old = PageTable.Get(vpn);
        if (old.State == PteState.None) return;
        ProvenanceLog.Current?.PteCleared(Id, vpn, old);
        var vma = FindVma(Pages.AddrOf(vpn));
        ModelInvariantException.Check(vma is not null, $"mm {Id}: PTE at vpn {vpn:x} outside any VMA");
        if (old.MapsFilePage && vma!.File is not null) vma.File.Unmap(old.FilePage);
        PageTable.Clear(vpn);
    }

    /// <summary>kernel/fork.c / mm/mmap.c exit_mmap(): unmap every VMA, dropping mapcounts.</summary>
    public void Release()
    {
        CheckLive("Release");
        // exit_mmap(): unmap every VMA's pages (keeping file mapcounts right) and drop the VMAs;
        // the fork-skipped record dies with the mm, so it is not maintained page by page.
        for (int i = _vmas.Count - 1; i >= 0; i--) ZapRange(_vmas[i]);
        _vmas.Clear();
        _forkSkippedPages.Clear();
        ModelInvariantException.Check(PageTable.PopulatedCount == 0, $"mm {Id}: PTEs left after exit_mmap");
        _mmUsers = 0;
        _released = true;
    }

    public bool IsReleased => _released;

    private void ZapRange(Vma vma)
    {
        for (var vpn = PageTable.NextPopulated(vma.StartVpn, vma.EndVpn, out _); vpn < vma.EndVpn; vpn = PageTable.NextPopulated(vpn + 1, vma.EndVpn, out _))
            ClearPte(vpn);
    }

    private void CheckLive(string op) =>
        ModelInvariantException.Check(!_released, $"mm {Id}: {op} after exit_mmap");
}
