namespace ActorKernel.Model;

/// <summary>
/// A run's page frames under reclaim (docs/memory-pressure.md): per-node free pages and watermarks,
/// the classic LRU, swap, memory cgroups, and the reverse map that eviction unmaps through. Shared
/// by the run's mm actors (which charge new pages and report accesses) and its kswapd actors, like
/// the page cache (<see cref="FileObject"/>): a run's actors run one message at a time on one thread.
/// </summary>
public sealed class MemoryModel
{
    /// <summary>include/linux/swap.h SWAP_CLUSTER_MAX: the batch reclaim isolates and direct reclaim aims for.</summary>
    public const int SwapClusterMax = 32;

    // mm/vmscan.c DEF_PRIORITY: a reclaim call scans at most this many batches per list before giving up.
    private const int MaxRounds = 12;

    private readonly MemoryParams _p;
    private readonly NodeMemory[] _nodes;
    // Lookup only: the folio of an mm's anonymous page, by mm id then VPN (sorted, so exit frees in order).
    private readonly Dictionary<int, SortedDictionary<ulong, Folio>> _anon = new();
    // Lookup only: the folio of a page-cache page.
    private readonly Dictionary<(FileObject File, long Page), Folio> _file = new();
    // Membership only: page-cache pages reclaim evicted (workingset shadow entries), to count refaults.
    private readonly HashSet<(FileObject File, long Page)> _shadows = new();
    // Membership only: files whose cached pages are on the LRU.
    private readonly HashSet<FileObject> _filesOnLru = new();
    // The rmap: every live mm, in registration order (rmap_walk_file() visits the mappings in i_mmap order).
    private readonly List<AddressSpace> _mms = new();
    private readonly Dictionary<int, MemCgroup?> _memcgOfMm = new();
    // Pages handed out with a node's free pages at 0 (the OOM killer would act; not modelled), per node:
    // the first frees repay them, so free pages never exceed what is really free.
    private readonly long[] _overdrawn;

    public MemoryModel(MemoryParams p)
    {
        ModelInvariantException.Check(p.Nodes >= 1 && p.PagesPerNode > 0, $"memory of {p.Nodes} nodes × {p.PagesPerNode} pages");
        _p = p;
        var lowmem = p.PagesPerNode * p.Nodes;
        _nodes = new NodeMemory[p.Nodes];
        for (var n = 0; n < p.Nodes; n++)
            _nodes[n] = new NodeMemory(n, p.PagesPerNode, Watermarks.Compute(p.PagesPerNode, lowmem, p.WatermarkScaleFactor, p.MaxMinFreeKbytes));
        Swap = new SwapSpace(p.SwapPages);
        _overdrawn = new long[p.Nodes];
    }

    /// <summary>Pages charged on nodes that had none free (reclaim could not make room; the OOM killer is not modelled).</summary>
    public long Overdrawn => _overdrawn.Sum();

    public IReadOnlyList<NodeMemory> Nodes => _nodes;

    public SwapSpace Swap { get; }

    /// <summary>Pages scanned by reclaim (pgscan).</summary>
    public long Scanned { get; private set; }

    /// <summary>Page-cache pages evicted (unmapped everywhere and dropped from the cache).</summary>
    public long EvictedFile { get; private set; }

    /// <summary>Anonymous pages written to swap (pswpout).</summary>
    public long SwappedOut { get; private set; }

    /// <summary>Evicted or swapped pages faulted back in (workingset_refault, pswpin).</summary>
    public long Refaulted { get; private set; }

    /// <summary>Direct reclaim calls by allocating tasks (allocstall, and memcg limit reclaim).</summary>
    public long DirectReclaims { get; private set; }

    /// <summary>Bumped by every change; observers compare it to know whether to report.</summary>
    public long Version { get; private set; }

    public MemCgroup? MemcgOf(AddressSpace mm) => _memcgOfMm.GetValueOrDefault(mm.Id);

    /// <summary>
    /// Put an mm under the model: its mappings join the rmap; with <paramref name="chargeExisting"/> its
    /// present anonymous pages, and every cached page of the files it maps, are charged and put on the LRU
    /// (a process that has run for a while: active anon, inactive file). A fork child shares its parent's
    /// frames, so it is registered without charging.
    /// </summary>
    public void RegisterMm(AddressSpace mm, MemCgroup? memcg, bool chargeExisting)
    {
        ModelInvariantException.Check(!_memcgOfMm.ContainsKey(mm.Id), $"mm {mm.Id} registered twice");
        _mms.Add(mm);
        _memcgOfMm.Add(mm.Id, memcg);
        Version++;
        if (!chargeExisting) return;
        foreach (var vma in mm.Vmas)
        {
            foreach (var (vpn, pte) in mm.PageTable.Range(vma.StartVpn, vma.EndVpn))
            {
                if (pte.State == PteState.Present && pte.IsAnon && AnonFolio(mm, vpn) is null)
                    Occupy(Place(Folio.Anonymous(mm, vpn, pte.HomeNode, memcg), active: true));
            }
            if (vma.File is { } file && _filesOnLru.Add(file))
            {
                for (long page = 0; page < file.Pages; page++)
                    if (file.IsCached(page)) Occupy(Place(Folio.PageCache(file, page, 0, memcg, exec: false), active: false));
            }
            if (vma.File is not null && (vma.Prot & VmaProt.Exec) != 0)
                for (var vpn = vma.StartVpn; vpn < vma.EndVpn; vpn++)
                    if (_file.TryGetValue((vma.File, vma.FilePageOf(vpn)), out var f)) f.MappedExec = true;
        }
    }

    /// <summary>
    /// kernel/fork.c mmput() → exit_mmap() for the model: the mm's anonymous folios are freed and its
    /// swap slots released (free_swap_and_cache()); its page-cache pages stay cached. Call before
    /// <see cref="AddressSpace.Release"/>.
    /// </summary>
    public void ReleaseMm(AddressSpace mm)
    {
        if (!_memcgOfMm.Remove(mm.Id)) return;
        _mms.Remove(mm);
        foreach (var vma in mm.Vmas)
            foreach (var (_, pte) in mm.PageTable.Range(vma.StartVpn, vma.EndVpn))
                if (pte.State == PteState.Swapped) Swap.Free();
        if (_anon.Remove(mm.Id, out var folios))
            foreach (var f in folios.Values) Free(f);
        Version++;
    }

    /// <summary>
    /// A task allocated an anonymous page at <paramref name="vpn"/> (do_anonymous_page(), a CoW copy,
    /// do_swap_page()): charge it, place it on the LRU (folio_add_lru_vma()); the fault mapped it young,
    /// the instantiating reference folio_check_references() looks past. A page already tracked for
    /// this mm at this address (a CoW break of its own page) is replaced, not charged twice.
    /// </summary>
    public ChargeResult ChargeAnon(AddressSpace mm, ulong vpn, int node)
    {
        if (AnonFolio(mm, vpn) is { } old) Free(Unindex(old));
        var memcg = MemcgOf(mm);
        var r = Charge(node, memcg);
        Place(Folio.Anonymous(mm, vpn, node, memcg), active: _p.NewAnonActive);
        return r;
    }

    /// <summary>
    /// mm/filemap.c filemap_add_folio() after a page-cache miss: charge the new page to the faulting
    /// mm's cgroup and put it on the inactive file list; a page reclaim evicted counts as a refault
    /// (mm/workingset.c workingset_refault(); the refault distance, which may activate it, is not modelled).
    /// </summary>
    public ChargeResult ChargePageCache(AddressSpace mm, Vma vma, long page, int node)
    {
        var file = vma.File!;
        if (_file.TryGetValue((file, page), out var old)) Free(Unindex(old));
        if (_shadows.Remove((file, page))) Refaulted++;
        _filesOnLru.Add(file);
        var memcg = MemcgOf(mm);
        var r = Charge(node, memcg);
        Place(Folio.PageCache(file, page, node, memcg, (vma.Prot & VmaProt.Exec) != 0), active: false);
        return r;
    }

    /// <summary>Whether <paramref name="mm"/> is under the model (<see cref="RegisterMm"/>).</summary>
    public bool IsRegistered(AddressSpace mm) => _memcgOfMm.ContainsKey(mm.Id);

    /// <summary>
    /// After an access to <paramref name="vpn"/> that may have faulted: a swap entry that was replaced
    /// is a swap-in; a present page the model does not know yet is a new page (an anonymous allocation or
    /// CoW copy on <paramref name="node"/>, or a page-cache fill) and is charged; a known page is marked
    /// accessed. <paramref name="wasSwapped"/>: the PTE held a swap entry before the access.
    /// </summary>
    public ChargeResult Settle(AddressSpace mm, ulong vpn, int node, bool wasSwapped)
    {
        if (!IsRegistered(mm)) return default;
        var pte = mm.GetPte(vpn);
        if (wasSwapped && pte.State != PteState.Swapped) SwapIn();
        if (pte.State != PteState.Present) return default;
        if (pte.IsAnon)
        {
            if (AnonFolio(mm, vpn) is null) return ChargeAnon(mm, vpn, node);
        }
        else if (pte.FilePage >= 0 && mm.FindVma(Pages.AddrOf(vpn)) is { File: { } file } vma && !_file.ContainsKey((file, pte.FilePage)))
        {
            return ChargePageCache(mm, vma, pte.FilePage, pte.HomeNode);
        }
        Accessed(mm, vpn);
        return default;
    }

    /// <summary>mm/memory.c do_swap_page(): the swap slot is freed as the page comes back (a refault, pswpin).</summary>
    public void SwapIn()
    {
        Swap.Free();
        Refaulted++;
        Version++;
    }

    /// <summary>
    /// An access through the PTE of <paramref name="mm"/> at <paramref name="vpn"/> went through: where the
    /// MMU manages the accessed bit (<see cref="ArchCaps.HwPteYoung"/>: x86-64, arm64 with FEAT_HAFDBS) it
    /// sets it on an old PTE without a fault. Elsewhere an old PTE took an access-flag fault before the
    /// access could go through (<see cref="FaultKind.AccessFlag"/>, handle_pte_fault() → pte_mkyoung()), so
    /// the PTE is young already; a probe read through an old PTE fails (pte-old) and is not an access.
    /// </summary>
    public void Accessed(AddressSpace mm, ulong vpn)
    {
        var pte = mm.GetPte(vpn);
        if (pte.State == PteState.Present && pte.Old && mm.Arch.HwPteYoung) mm.MakePteYoung(vpn);
    }

    /// <summary>folio_referenced() of <paramref name="f"/> through this model's rmap (<see cref="Lruvec.FolioReferenced"/>).</summary>
    public int FolioReferenced(Folio f) => Lruvec.FolioReferenced(f, _mms);

    /// <summary>
    /// mm/page_alloc.c get_page_from_freelist() / __alloc_pages_slowpath() for one page, after
    /// mm/memcontrol.c try_charge_memcg(): over the cgroup's limit the charging task reclaims from that
    /// cgroup (try_to_free_mem_cgroup_pages()); below the node's low watermark kswapd is woken; below min
    /// the task reclaims directly (__alloc_pages_direct_reclaim()). The OOM killer is not modelled: a charge
    /// that reclaim could not make room for still succeeds and is counted.
    /// </summary>
    private ChargeResult Charge(int node, MemCgroup? memcg)
    {
        var reclaim = default(ReclaimResult);
        if (memcg is not null)
        {
            if (memcg.WouldExceed(1))
            {
                memcg.MaxEvents++;
                DirectReclaims++;
                for (var retry = 0; retry < 16 && memcg.WouldExceed(1); retry++)
                {
                    var step = ShrinkMemcg(memcg, SwapClusterMax);
                    reclaim += step;
                    if (step.Reclaimed == 0) break;
                }
                if (memcg.WouldExceed(1)) memcg.OverLimitCharges++;
            }
            memcg.UsagePages++;
        }
        var n = _nodes[node];
        var wake = false;
        if (n.FreePages - 1 < n.Watermarks.LowPages && !n.KswapdAwake)
        {
            n.KswapdAwake = true;
            wake = true;
        }
        if (n.FreePages - 1 < n.Watermarks.MinPages)
        {
            DirectReclaims++;
            reclaim += ShrinkNode(node, SwapClusterMax, null);
        }
        Take(node);
        Version++;
        return new ChargeResult(reclaim, wake);
    }

    /// <summary>
    /// mm/vmscan.c balance_pgdat() step for kswapd: reclaim up to <paramref name="maxPages"/> towards the
    /// high watermark. When the node is balanced, or reclaim made no progress (kswapd_failures), kswapd
    /// goes back to sleep: <see cref="NodeMemory.KswapdAwake"/> is cleared and <paramref name="sleep"/> set.
    /// </summary>
    public ReclaimResult BalancePgdat(int node, int maxPages, out bool sleep)
    {
        var n = _nodes[node];
        var r = default(ReclaimResult);
        if (!n.Balanced)
            r = ShrinkNode(node, (int)Math.Min(maxPages, n.Watermarks.HighPages - n.FreePages), null);
        sleep = n.Balanced || r.Reclaimed == 0;
        if (sleep) n.KswapdAwake = false;
        Version++;
        return r;
    }

    /// <summary>Reclaim from one cgroup, node by node (mm/vmscan.c shrink_node_memcgs() for the target memcg only).</summary>
    public ReclaimResult ShrinkMemcg(MemCgroup memcg, int nrToReclaim)
    {
        var r = default(ReclaimResult);
        for (var n = 0; n < _nodes.Length && r.Reclaimed < nrToReclaim; n++)
            r += ShrinkNode(n, nrToReclaim - r.Reclaimed, memcg);
        return r;
    }

    /// <summary>
    /// mm/vmscan.c shrink_node() → shrink_lruvec() (4.14, 6.8, 6.18): batches of
    /// <see cref="SwapClusterMax"/> from each evictable list until <paramref name="nrToReclaim"/> pages are
    /// reclaimed or <see cref="MaxRounds"/> batches made no progress; the active list is aged first when the
    /// inactive one is low (shrink_list()). get_scan_count(): file only without swap space or with
    /// swappiness 0; otherwise anon and file batches in the ratio swappiness : (200 − swappiness) — the
    /// recent-cost balancing (anon_cost, file_cost) is not modelled.
    /// </summary>
    public ReclaimResult ShrinkNode(int node, int nrToReclaim, MemCgroup? only)
    {
        var lru = _nodes[node].Lru;
        var r = default(ReclaimResult);
        var canSwap = Swap.FreePages > 0 && _p.Swappiness > 0;
        for (var round = 0; round < MaxRounds && r.Reclaimed < nrToReclaim; round++)
        {
            var fileEmpty = lru.Count(LruType.File, false) + lru.Count(LruType.File, true) == 0;
            var nrFile = _p.Swappiness == 200 && canSwap ? 0 : SwapClusterMax;
            var nrAnon = !canSwap ? 0 : fileEmpty || nrFile == 0 ? SwapClusterMax
                : Math.Max(1, SwapClusterMax * _p.Swappiness / (200 - _p.Swappiness));
            var before = r;
            if (nrAnon > 0) r += ShrinkList(node, LruType.Anon, nrAnon, only);
            if (nrFile > 0) r += ShrinkList(node, LruType.File, nrFile, only);
            if (r.Scanned == before.Scanned) break;
        }
        Scanned += r.Scanned;
        EvictedFile += r.EvictedFile;
        SwappedOut += r.SwappedOut;
        Version++;
        return r;
    }

    // mm/vmscan.c shrink_list(): age the active list when the inactive one is low, then shrink the inactive one.
    private ReclaimResult ShrinkList(int node, LruType type, int nr, MemCgroup? only)
    {
        var r = default(ReclaimResult);
        if (_nodes[node].Lru.InactiveIsLow(type)) r += ShrinkActiveList(node, type, nr, only);
        return r + ShrinkInactiveList(node, type, nr, only);
    }

    /// <summary>
    /// mm/vmscan.c shrink_active_list() (4.14, 6.8, 6.18): every folio taken from the active tail has the
    /// young bits of its PTEs cleared (folio_referenced()); a referenced file folio mapped executable stays
    /// active, every other one moves to the inactive list — with its PTEs old, so on a CPU without hardware
    /// access-flag management its next access, a probe read's included, faults (pte-old).
    /// </summary>
    public ReclaimResult ShrinkActiveList(int node, LruType type, int nr, MemCgroup? only)
    {
        var lru = _nodes[node].Lru;
        int scanned = 0, deactivated = 0;
        foreach (var f in lru.IsolateFromTail(type, active: true, nr, only))
        {
            scanned++;
            if (FolioReferenced(f) > 0 && f.Type == LruType.File && f.MappedExec)
            {
                lru.MoveToHead(f, active: true);
                continue;
            }
            lru.MoveToHead(f, active: false);
            deactivated++;
        }
        return new ReclaimResult(scanned, 0, 0, 0, 0, deactivated);
    }

    /// <summary>
    /// mm/vmscan.c shrink_inactive_list() → shrink_folio_list() with folio_check_references() (6.8, 6.18;
    /// shrink_page_list() / page_check_references() in 4.14): folio_referenced() counts and clears the young
    /// PTEs; a folio with young PTEs gets PG_referenced and is activated if it had PG_referenced already, is
    /// young in more than one PTE, or is a file folio mapped executable — else kept for one more trip (its
    /// PTEs now old); 4.14 activated a young anonymous folio at once (PageSwapBacked, modelled with
    /// <see cref="MemoryParams.NewAnonActive"/>). A folio with no young PTE is reclaimed — a file page unmapped from every mm
    /// (try_to_unmap()) and dropped from the page cache (__remove_mapping()), an anonymous page written to
    /// swap with a swap entry left in its PTE (add_to_swap(), try_to_unmap()), or activated when no swap slot
    /// is free. Dirty file pages are treated as clean: writeback is not modelled (docs/memory-pressure.md).
    /// </summary>
    public ReclaimResult ShrinkInactiveList(int node, LruType type, int nr, MemCgroup? only)
    {
        var lru = _nodes[node].Lru;
        int scanned = 0, reclaimed = 0, evicted = 0, swapped = 0, activated = 0;
        foreach (var f in lru.IsolateFromTail(type, active: false, nr, only))
        {
            scanned++;
            if (IsStale(f))
            {
                Free(Unindex(f));
                continue;
            }
            var referencedPtes = FolioReferenced(f);
            var referencedFolio = f.Referenced;
            f.Referenced = false;
            if (referencedPtes > 0)
            {
                if (f.Type == LruType.Anon && _p.NewAnonActive)
                {
                    lru.MoveToHead(f, active: true);
                    activated++;
                    continue;
                }
                f.Referenced = true;
                if (referencedFolio || referencedPtes > 1 || (f.Type == LruType.File && f.MappedExec))
                {
                    lru.MoveToHead(f, active: true);
                    activated++;
                    continue;
                }
                lru.MoveToHead(f, active: false);
                continue;
            }
            if (f.Type == LruType.Anon)
            {
                if (!Swap.TryAllocate())
                {
                    lru.MoveToHead(f, active: true);
                    activated++;
                    continue;
                }
                var pte = f.Mm!.GetPte(f.Vpn);
                f.Mm.SetPte(f.Vpn, new Pte(PteState.Swapped, false, false, true, pte.HomeNode, -1));
                swapped++;
            }
            else
            {
                TryToUnmapFile(f.File!, f.FilePage);
                if (!f.File!.TryEvict(f.FilePage))
                {
                    lru.MoveToHead(f, active: true);
                    activated++;
                    continue;
                }
                _shadows.Add((f.File, f.FilePage));
                evicted++;
            }
            Free(Unindex(f));
            reclaimed++;
        }
        return new ReclaimResult(scanned, reclaimed, evicted, swapped, activated, 0);
    }

    /// <summary>
    /// mm/rmap.c try_to_unmap() → rmap_walk_file() for a page-cache page: clear its PTE in every VMA of
    /// every mm that maps it (present or PROT_NONE), keeping the mapcount in step.
    /// </summary>
    private void TryToUnmapFile(FileObject file, long page)
    {
        foreach (var (mm, vpn) in Rmap.FileMappings(_mms, file, page).ToArray()) mm.ClearPte(vpn);
    }

    // A folio whose page went away without reclaim (munmap, MADV_DONTNEED, fadvise): freed when met.
    private static bool IsStale(Folio f)
    {
        if (f.Type == LruType.File) return !f.File!.IsCached(f.FilePage);
        var pte = f.Mm!.IsReleased ? Pte.Empty : f.Mm.GetPte(f.Vpn);
        return !(pte.State is PteState.Present or PteState.ProtNone && pte.IsAnon);
    }

    private Folio? AnonFolio(AddressSpace mm, ulong vpn) =>
        _anon.TryGetValue(mm.Id, out var byVpn) && byVpn.TryGetValue(vpn, out var f) ? f : null;

    private Folio Place(Folio f, bool active)
    {
        if (f.Type == LruType.Anon)
        {
            if (!_anon.TryGetValue(f.Mm!.Id, out var byVpn)) _anon.Add(f.Mm.Id, byVpn = new SortedDictionary<ulong, Folio>());
            byVpn.Add(f.Vpn, f);
        }
        else
        {
            _file.Add((f.File!, f.FilePage), f);
        }
        f.Active = active;
        _nodes[f.Node].Lru.Add(f);
        return f;
    }

    private Folio Unindex(Folio f)
    {
        if (f.Type == LruType.Anon) _anon[f.Mm!.Id].Remove(f.Vpn);
        else _file.Remove((f.File!, f.FilePage));
        return f;
    }

    // A page in use before the model saw it: taken from the free pages without reclaim.
    private void Occupy(Folio f)
    {
        Take(f.Node);
        if (f.Memcg is not null) f.Memcg.UsagePages++;
    }

    private void Take(int node)
    {
        if (_nodes[node].FreePages > 0) _nodes[node].FreePages--;
        else _overdrawn[node]++;
    }

    // The page goes back to the node's free lists and is uncharged from its cgroup.
    private void Free(Folio f)
    {
        if (f.LruNode is not null) _nodes[f.Node].Lru.Remove(f);
        if (_overdrawn[f.Node] > 0) _overdrawn[f.Node]--;
        else _nodes[f.Node].FreePages++;
        if (f.Memcg is not null) f.Memcg.UsagePages--;
        Version++;
    }
}
