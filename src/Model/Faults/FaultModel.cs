namespace ActorKernel.Model;

/// <summary>
/// What mm/memory.c handle_mm_fault() would do for an access, if the context could fault
/// (docs/kernel-model.md §2). Classification is pure; <see cref="Handle"/> applies it.
/// </summary>
public static class FaultModel
{
    /// <summary>
    /// arch/x86/mm/fault.c access_error() then mm/memory.c handle_pte_fault() dispatch (6.x).
    /// AnonShared (shmem) is classified <see cref="FaultKind.FileShared"/>, minor: shmem_fault
    /// allocates the page if absent, and shmem swap (major) is not modelled.
    /// </summary>
    public static FaultClass Classify(AddressSpace mm, ulong addr, AccessKind a)
    {
        var vma = mm.FindVma(addr);
        if (vma is null) return new FaultClass(FaultKind.BadAddress, false);
        if (a == AccessKind.Write ? (vma.Prot & VmaProt.Write) == 0 : vma.Prot == VmaProt.None)
            return new FaultClass(FaultKind.AccessError, false);

        ulong vpn = Pages.Vpn(addr);
        var pte = mm.GetPte(vpn);
        switch (pte.State)
        {
            case PteState.Present:
                if (a == AccessKind.Read || pte.Writable)
                    return new FaultClass(pte.Old && mm.Arch.FaultsOnOldPte ? FaultKind.AccessFlag : FaultKind.None, false);
                // do_wp_page(): shared mappings are made writable in place (wp_page_shared), private ones copy.
                return new FaultClass(vma.IsShared ? FaultKind.FileShared : FaultKind.Cow, false);
            case PteState.ProtNone:
                return new FaultClass(FaultKind.NumaHint, false);
            case PteState.Swapped:
                return new FaultClass(FaultKind.SwapIn, true);
        }

        switch (vma.Kind)
        {
            case VmaKind.AnonPrivate:
            case VmaKind.Stack:
                return new FaultClass(a == AccessKind.Read ? FaultKind.AnonZeroPage : FaultKind.AnonAlloc, false);
            case VmaKind.AnonShared:
                return new FaultClass(FaultKind.FileShared, false);
            case VmaKind.Vdso:
                return new FaultClass(FaultKind.FileRead, false);
        }

        bool major = !vma.File!.IsCached(vma.FilePageOf(vpn));
        if (a == AccessKind.Read) return new FaultClass(FaultKind.FileRead, major);
        return new FaultClass(vma.Kind == VmaKind.FilePrivate ? FaultKind.FileWriteCow : FaultKind.FileShared, major);
    }

    /// <summary>
    /// mm/memory.c handle_mm_fault() applied to the model: installs the PTEs the kernel would.
    /// BadAddress, AccessError and no-fault accesses change nothing.
    /// </summary>
    public static FaultOutcome Handle(AddressSpace mm, ulong addr, AccessKind a, FaultOptions o)
    {
        var c = Classify(mm, addr, a);
        if (!c.IsResolvable) return FaultOutcome.Nothing(c);

        var vma = mm.FindVma(addr)!;
        ulong vpn = Pages.Vpn(addr);
        var pte = mm.GetPte(vpn);
        switch (c.Kind)
        {
            case FaultKind.AnonZeroPage:
                mm.SetPte(vpn, Pte.ZeroPage);
                return new FaultOutcome(c, 1, false, 0, 0, false);

            case FaultKind.AnonAlloc:
                vma.HasAnonVma = true;
                mm.SetPte(vpn, Pte.Anon(writable: true, o.AllocNode));
                return new FaultOutcome(c, 1, false, o.AllocNode, 0, false);

            case FaultKind.FileRead:
                return DoReadFault(mm, vma, vpn, c, o);

            case FaultKind.FileWriteCow:
            {
                bool major = FilemapFault(vma, vpn);
                vma.HasAnonVma = true;
                mm.SetPte(vpn, Pte.Anon(writable: true, o.AllocNode));
                return new FaultOutcome(c, 1, major, o.AllocNode, 0, false);
            }

            case FaultKind.FileShared:
                return DoSharedFault(mm, vma, vpn, pte, a, c);

            case FaultKind.SwapIn:
            {
                bool writable = a == AccessKind.Write;
                mm.SetPte(vpn, Pte.Anon(writable, o.AllocNode));
                return new FaultOutcome(c, 1, true, o.AllocNode, 0, false);
            }

            case FaultKind.NumaHint:
                return DoNumaPage(mm, vpn, pte, c, o);

            case FaultKind.AccessFlag:
                // handle_pte_fault(): the entry is present, so only its young bit is set (pte_mkyoung()).
                mm.SetPte(vpn, pte with { Old = false });
                return new FaultOutcome(c, 1, false, pte.HomeNode, 0, false);

            case FaultKind.Cow:
                // wp_page_copy(): anon_vma_prepare(), new anon page; the old file/zero page is unmapped.
                vma.HasAnonVma = true;
                mm.SetPte(vpn, Pte.Anon(writable: true, o.AllocNode));
                return new FaultOutcome(c, 1, false, o.AllocNode, 0, false);
        }
        throw new ModelInvariantException($"FaultModel.Handle: unhandled {c.Kind} at {addr:x}");
    }

    /// <summary>
    /// mm/memory.c do_read_fault(): do_fault_around() when fault_around_bytes exceeds a page,
    /// then __do_fault() → filemap_fault() if the faulting page is still unmapped.
    /// </summary>
    private static FaultOutcome DoReadFault(AddressSpace mm, Vma vma, ulong vpn, FaultClass c, FaultOptions o)
    {
        if (vma.File is null)
        {
            // Special mapping (vDSO): its ->fault hands back a kernel page; no ->map_pages.
            mm.SetPte(vpn, new Pte(PteState.Present, false, false, false, 0, -1));
            return new FaultOutcome(c, 1, false, 0, 0, false);
        }

        int around = o.FaultAroundBytes > Pages.Size ? DoFaultAround(mm, vma, vpn, o.FaultAroundBytes) : 0;
        if (mm.GetPte(vpn).State == PteState.Present)
            return new FaultOutcome(c, around, false, 0, around, false);

        bool major = FilemapFault(vma, vpn);
        mm.SetPte(vpn, Pte.FilePageCache(vma.FilePageOf(vpn), writable: false));
        return new FaultOutcome(c, around + 1, major, 0, around, false);
    }

    /// <summary>
    /// mm/memory.c do_fault_around() + mm/filemap.c filemap_map_pages(): map every cached,
    /// uptodate page with a none PTE in the window of fault_around_bytes that starts at the
    /// address aligned down to the window or at the VMA start, whichever is later, and runs one
    /// window from there, clipped to the VMA end and the PTE table (2 MiB): 6.8.0 lines 4702-4707
    /// and 6.18.2 lines 5660-5665 (from_pte = max(ALIGN_DOWN(pte_off, nr_pages), pte_off - min(pte_off,
    /// vma_off)), to_pte = min3(from_pte + nr_pages, PTRS_PER_PTE, …)); 4.14 the same with
    /// "vmf->address = max(address &amp; mask, vmf->vma->vm_start)" and "start_pgoff + nr_pages - 1".
    /// next_uptodate_folio() skips pages carrying PG_readahead, so they stay unmapped. Returns pages mapped.
    /// </summary>
    public static int DoFaultAround(AddressSpace mm, Vma vma, ulong vpn, int faultAroundBytes)
    {
        var file = vma.File;
        ModelInvariantException.Check(file is not null, $"do_fault_around on {vma.Name}: no ->map_pages");
        ModelInvariantException.Check(vma.ContainsVpn(vpn), $"do_fault_around: vpn {vpn:x} outside {vma}");
        ulong windowPages = (ulong)(faultAroundBytes / Pages.Size);
        ModelInvariantException.Check(windowPages >= 1 && (windowPages & (windowPages - 1)) == 0 && windowPages <= Pages.PtrsPerPte,
            $"fault_around_bytes {faultAroundBytes} is not a power-of-two number of pages ≤ {Pages.PtrsPerPte}");

        ulong pmdStart = vpn & ~(ulong)(Pages.PtrsPerPte - 1);
        ulong from = Math.Max(vpn & ~(windowPages - 1), Math.Max(vma.StartVpn, pmdStart));
        ulong to = Math.Min(from + windowPages, Math.Min(vma.EndVpn, pmdStart + Pages.PtrsPerPte));

        int mapped = 0;
        for (ulong v = from; v < to; v++)
        {
            if (mm.GetPte(v).State != PteState.None) continue;
            long fp = vma.FilePageOf(v);
            if (file!.CacheState(fp) != PageCacheState.Cached) continue;
            mm.SetPte(v, Pte.FilePageCache(fp, writable: false));
            mapped++;
        }
        return mapped;
    }

    /// <summary>
    /// mm/filemap.c filemap_fault(): a miss reads the page (major); a hit on a PG_readahead
    /// page clears the marker (do_async_mmap_readahead). Returns whether I/O was needed.
    /// </summary>
    private static bool FilemapFault(Vma vma, ulong vpn)
    {
        var file = vma.File!;
        long fp = vma.FilePageOf(vpn);
        bool major = file.CacheState(fp) == PageCacheState.NotCached;
        file.SetCacheState(fp, PageCacheState.Cached);
        return major;
    }

    /// <summary>mm/memory.c do_shared_fault() / wp_page_shared(); shmem via shmem_fault().</summary>
    private static FaultOutcome DoSharedFault(AddressSpace mm, Vma vma, ulong vpn, Pte pte, AccessKind a, FaultClass c)
    {
        if (pte.State == PteState.Present)
        {
            // wp_page_reuse(): pte_mkyoung(pte_mkdirty()) and writable.
            mm.SetPte(vpn, pte with { Writable = true, Old = false });
            return new FaultOutcome(c, 0, false, pte.HomeNode, 0, false);
        }
        bool major = vma.File is not null && FilemapFault(vma, vpn);
        // shmem needs no write-notify, so its PTEs follow the VMA; a shared file read maps read-only for dirty tracking.
        bool writable = vma.Kind == VmaKind.AnonShared ? (vma.Prot & VmaProt.Write) != 0 : a == AccessKind.Write;
        mm.SetPte(vpn, Pte.FilePageCache(vma.FilePageOf(vpn), writable));
        return new FaultOutcome(c, 1, major, 0, 0, false);
    }

    /// <summary>mm/memory.c do_numa_page(): restore the PTE; migrate when the caller chose a node.</summary>
    private static FaultOutcome DoNumaPage(AddressSpace mm, ulong vpn, Pte pte, FaultClass c, FaultOptions o)
    {
        bool migrate = o.MigrateToNode >= 0 && o.MigrateToNode != pte.HomeNode;
        int node = migrate ? o.MigrateToNode : pte.HomeNode;
        // do_numa_page(): pte_modify() back to the VMA's protection, then pte_mkyoung().
        mm.SetPte(vpn, pte with { State = PteState.Present, HomeNode = node, Old = false });
        return new FaultOutcome(c, 1, false, node, 0, migrate);
    }
}
