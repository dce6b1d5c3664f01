using Xunit;

namespace ActorKernel.Model.Tests.Reclaim;

/// <summary>The reclaim model (docs/memory-pressure.md): watermarks, aging, eviction, swap entries, memcg charging.</summary>
public class ReclaimTests
{
    private const ulong FileBase = 0x7f00_0000_0000;
    private const ulong AnonBase = 0x7f10_0000_0000;

    /// <summary>mm/page_alloc.c calculate_min_free_kbytes(): int_sqrt(kbytes × 16), clamped; 4.14 clamps at 64 MiB.</summary>
    [Fact]
    public void MinFreeKbytes_IsSqrtOfSixteenTimesLowmem_Clamped()
    {
        // 1 GiB = 1048576 KiB → sqrt(16777216) = 4096 KiB.
        Assert.Equal(4096, Watermarks.MinFreeKbytes(262_144, 262_144));
        // 16 MiB → sqrt(262144) = 512 KiB; 1 MiB → 128 (the floor).
        Assert.Equal(512, Watermarks.MinFreeKbytes(4096, 262_144));
        Assert.Equal(128, Watermarks.MinFreeKbytes(64, 262_144));
        // 1 TiB: sqrt(2^30 × 16) = 131072 KiB on 6.x; 4.14 caps at 65536.
        Assert.Equal(131_072, Watermarks.MinFreeKbytes(1L << 28, 262_144));
        Assert.Equal(65_536, Watermarks.MinFreeKbytes(1L << 28, 65_536));
    }

    /// <summary>mm/page_alloc.c __setup_per_zone_wmarks(): low = min + gap, high = min + 2 gap, gap = max(min/4, managed × wsf / 10000).</summary>
    [Fact]
    public void Watermarks_FollowScaleFactor()
    {
        // 1 GiB node: min 4096 KiB = 1024 pages; wsf 10 → 262 pages, min/4 = 256 → gap 262.
        var w = Watermarks.Compute(262_144, 262_144, 10, 262_144);
        Assert.Equal(new Watermarks(1024, 1286, 1548), w);
        // wsf 1000 (10 %) → gap 26214.
        Assert.Equal(new Watermarks(1024, 27_238, 53_452), Watermarks.Compute(262_144, 262_144, 1000, 262_144));
        // Two 1 GiB nodes share min_free_kbytes of 2 GiB: sqrt(2097152 × 16) = 5792 KiB → 1448 pages, 724 each.
        Assert.Equal(724, Watermarks.Compute(262_144, 524_288, 10, 262_144).MinPages);
    }

    /// <summary>mm/vmscan.c inactive_is_low(): inactive × int_sqrt(10 × GiB) &lt; active.</summary>
    [Fact]
    public void InactiveIsLow_ComparesListsWithRatio()
    {
        var m = Model(pages: 4096, out var mm, out _);
        Touch(m, mm, AnonBase, 3);
        var lru = m.Nodes[0].Lru;
        Assert.False(lru.InactiveIsLow(LruType.Anon)); // 6.x: new anon pages start inactive
        m.ShrinkActiveList(0, LruType.Anon, 32, null);
        Assert.Equal(3, lru.Count(LruType.Anon, false));
    }

    /// <summary>4.14 lru_cache_add_active_or_unevictable(): new anonymous pages start active; shrink_active_list() deactivates them.</summary>
    [Fact]
    public void ShrinkActiveList_DeactivatesEvenYoungAnonPages_AndClearsYoung()
    {
        var m = Model(pages: 4096, out var mm, out _, newAnonActive: true);
        Touch(m, mm, AnonBase, 4);
        var lru = m.Nodes[0].Lru;
        Assert.True(lru.InactiveIsLow(LruType.Anon));
        var r = m.ShrinkActiveList(0, LruType.Anon, 32, null);
        Assert.Equal(4, r.Deactivated);
        Assert.Equal(4, lru.Count(LruType.Anon, false));
        // Their young bits were consumed: with swap, the next inactive pass reclaims all four.
        var s = m.ShrinkInactiveList(0, LruType.Anon, 32, null);
        Assert.Equal(4, s.SwappedOut);
    }

    /// <summary>mm/vmscan.c folio_check_references(): a young file folio gets a second round (PG_referenced), then is activated if young again.</summary>
    [Fact]
    public void FileFolio_YoungOnce_IsKept_YoungTwice_IsActivated_OldIsEvicted()
    {
        var m = Model(pages: 4096, out var mm, out var file);
        var vma = mm.FindVma(FileBase)!;
        FaultModel.Handle(mm, FileBase, AccessKind.Read, new FaultOptions { FaultAroundBytes = Pages.Size });
        m.ChargePageCache(mm, vma, 0, 0);
        var lru = m.Nodes[0].Lru;

        var r1 = m.ShrinkInactiveList(0, LruType.File, 32, null);
        Assert.Equal(0, r1.Reclaimed);
        Assert.Equal(1, lru.Count(LruType.File, false));

        m.Accessed(mm, Pages.Vpn(FileBase));
        var r2 = m.ShrinkInactiveList(0, LruType.File, 32, null);
        Assert.Equal(1, r2.Activated);
        Assert.Equal(1, lru.Count(LruType.File, true));

        m.ShrinkActiveList(0, LruType.File, 32, null);
        var r3 = m.ShrinkInactiveList(0, LruType.File, 32, null);
        Assert.Equal(1, r3.EvictedFile);
        Assert.Equal(PteState.None, mm.GetPte(Pages.Vpn(FileBase)).State);
        Assert.False(file.IsCached(0));
    }

    /// <summary>mm/rmap.c try_to_unmap(): an evicted page-cache page loses its PTE in every mm, then leaves the cache (__remove_mapping()).</summary>
    [Fact]
    public void EvictedFilePage_IsUnmappedFromEveryMm_AndFaultsMajor()
    {
        var m = Model(pages: 4096, out var mm, out var file);
        var other = new AddressSpace(2);
        other.AddVma(Fixtures.FileVma(FileBase + 0x100_0000, 16, file, name: "data"));
        m.RegisterMm(other, null, chargeExisting: false);
        FaultModel.Handle(mm, FileBase, AccessKind.Read, new FaultOptions { FaultAroundBytes = Pages.Size });
        m.ChargePageCache(mm, mm.FindVma(FileBase)!, 0, 0);
        FaultModel.Handle(other, FileBase + 0x100_0000, AccessKind.Read, new FaultOptions { FaultAroundBytes = Pages.Size });
        Assert.Equal(2, file.MapCount(0));
        m.FolioReferenced(m.Nodes[0].Lru.IsolateFromTail(LruType.File, false, 1, null)[0]);

        var r = m.ShrinkInactiveList(0, LruType.File, 32, null);

        Assert.Equal(1, r.EvictedFile);
        Assert.Equal(0, file.MapCount(0));
        Assert.Equal(PteState.None, other.GetPte(Pages.Vpn(FileBase + 0x100_0000)).State);
        Assert.Equal(FailureCause.NotMapped, ProbeRead.Walk(mm, FileBase, 8).Cause);
        Assert.True(FaultModel.Classify(mm, FileBase, AccessKind.Read).Major);
        Assert.Equal(FailureCause.MajorFault, InPlaceFault.Read(mm, FileBase, 8, InPlaceRules.MinorOnly(false), FaultOptions.Default).Cause);
    }

    /// <summary>mm/vmscan.c shrink_folio_list() → add_to_swap(), try_to_unmap(): an old anonymous page leaves a swap entry; swap-in is major.</summary>
    [Fact]
    public void OldAnonPage_GoesToSwap_AsSwapEntry()
    {
        var m = Model(pages: 4096, out var mm, out _, swapPages: 8);
        Touch(m, mm, AnonBase, 1);
        m.FolioReferenced(m.Nodes[0].Lru.IsolateFromTail(LruType.Anon, false, 1, null)[0]);
        var free = m.Nodes[0].FreePages;

        var r = m.ShrinkInactiveList(0, LruType.Anon, 32, null);

        Assert.Equal(1, r.SwappedOut);
        Assert.Equal(free + 1, m.Nodes[0].FreePages);
        Assert.Equal(1, m.Swap.UsedPages);
        Assert.Equal(PteState.Swapped, mm.GetPte(Pages.Vpn(AnonBase)).State);
        Assert.Equal(FailureCause.SwappedOut, ProbeRead.Walk(mm, AnonBase, 8).Cause);
        Assert.Equal(new FaultClass(FaultKind.SwapIn, true), FaultModel.Classify(mm, AnonBase, AccessKind.Read));
        m.ReleaseMm(mm);
        Assert.Equal(0, m.Swap.UsedPages);
    }

    /// <summary>get_scan_count(): without swap anonymous pages are not scanned, so they are never reclaimed.</summary>
    [Fact]
    public void WithoutSwap_AnonPagesAreNotReclaimable()
    {
        var m = Model(pages: 4096, out var mm, out _, swapPages: 0);
        Touch(m, mm, AnonBase, 8);
        var r = m.ShrinkNode(0, 32, null);
        Assert.Equal(0, r.Reclaimed);
        Assert.Equal(PteState.Present, mm.GetPte(Pages.Vpn(AnonBase)).State);
    }

    /// <summary>__alloc_pages_slowpath(): below low kswapd is woken (once), below min the allocating task reclaims directly.</summary>
    [Fact]
    public void Charge_WakesKswapdBelowLow_ReclaimsDirectlyBelowMin()
    {
        // 2 MiB node: min sqrt(2048 × 16) = 181 KiB = 45 pages, gap max(11, 0) = 11 → low 56, high 67.
        var m = Model(pages: 512, out var mm, out _, swapPages: 1024);
        var w = m.Nodes[0].Watermarks;
        Assert.Equal(new Watermarks(45, 56, 67), w);
        var wakes = 0;
        long directScanned = 0;
        for (var i = 0; i < 500; i++)
        {
            var r = Charge(m, mm, AnonBase + (ulong)i * Pages.Size);
            if (r.WakeKswapd) wakes++;
            directScanned += r.Reclaim.Scanned;
        }
        Assert.Equal(1, wakes);
        Assert.True(m.Nodes[0].KswapdAwake);
        Assert.True(directScanned > 0);
        Assert.True(m.DirectReclaims > 0);
        Assert.True(m.SwappedOut > 0);

        var step = m.BalancePgdat(0, 1024, out var sleep);
        Assert.True(sleep);
        Assert.True(step.Reclaimed > 0);
        Assert.True(m.Nodes[0].Balanced);
        Assert.False(m.Nodes[0].KswapdAwake);
    }

    /// <summary>mm/memcontrol.c try_charge_memcg(): over memory.max the charging task reclaims from its own cgroup only.</summary>
    [Fact]
    public void MemcgLimit_ReclaimsFromThatCgroupOnly()
    {
        var m = Model(pages: 1 << 20, out var mm, out _, swapPages: 1024);
        var outside = new AddressSpace(3);
        outside.AddVma(new Vma(AnonBase, AnonBase + 64 * Pages.Size, VmaKind.AnonPrivate, VmaProt.Read | VmaProt.Write, "other"));
        m.RegisterMm(outside, null, chargeExisting: true);
        for (var i = 0; i < 16; i++) Charge(m, outside, AnonBase + (ulong)i * Pages.Size);

        var cg = new MemCgroup("svc", 16);
        var inside = new AddressSpace(4);
        inside.AddVma(new Vma(AnonBase, AnonBase + 64 * Pages.Size, VmaKind.AnonPrivate, VmaProt.Read | VmaProt.Write, "svc"));
        m.RegisterMm(inside, cg, chargeExisting: true);
        for (var i = 0; i < 40; i++)
        {
            Charge(m, inside, AnonBase + (ulong)i * Pages.Size);
            m.FolioReferenced(m.Nodes[0].Lru.IsolateFromTail(LruType.Anon, false, 1 << 10, cg)[0]);
        }

        Assert.True(cg.UsagePages <= 16);
        Assert.True(cg.MaxEvents > 0);
        Assert.Equal(16, Enumerable.Range(0, 16).Count(i => outside.GetPte(Pages.Vpn(AnonBase) + (ulong)i).State == PteState.Present));
        Assert.True(Enumerable.Range(0, 40).Count(i => inside.GetPte(Pages.Vpn(AnonBase) + (ulong)i).State == PteState.Swapped) >= 24);
    }

    /// <summary>mm/workingset.c workingset_refault(): a page-cache page read back after eviction is a refault.</summary>
    [Fact]
    public void EvictedPageReadBack_CountsARefault()
    {
        var m = Model(pages: 4096, out var mm, out var file);
        var vma = mm.FindVma(FileBase)!;
        FaultModel.Handle(mm, FileBase, AccessKind.Read, new FaultOptions { FaultAroundBytes = Pages.Size });
        m.ChargePageCache(mm, vma, 0, 0);
        m.FolioReferenced(m.Nodes[0].Lru.IsolateFromTail(LruType.File, false, 1, null)[0]);
        m.ShrinkInactiveList(0, LruType.File, 32, null);
        Assert.False(file.IsCached(0));

        var fault = FaultModel.Handle(mm, FileBase, AccessKind.Read, new FaultOptions { FaultAroundBytes = Pages.Size });
        Assert.True(fault.Major);
        m.ChargePageCache(mm, vma, 0, 0);
        Assert.Equal(1, m.Refaulted);
    }

    /// <summary>With nothing reclaimable a charge still succeeds (no OOM killer); freeing repays it first, so free pages never exceed the node.</summary>
    [Fact]
    public void OverdrawnNode_FreePagesNeverExceedTheNode()
    {
        var m = Model(pages: 512, out var mm, out _, swapPages: 0);
        Touch(m, mm, AnonBase, 600);
        Assert.Equal(0, m.Nodes[0].FreePages);
        Assert.True(m.Overdrawn > 0);
        m.ReleaseMm(mm);
        Assert.Equal(512, m.Nodes[0].FreePages);
        Assert.Equal(0, m.Overdrawn);
    }

    private static MemoryModel Model(long pages, out AddressSpace mm, out FileObject file, long swapPages = 64, bool newAnonActive = false)
    {
        var m = new MemoryModel(new MemoryParams { Nodes = 1, PagesPerNode = pages, SwapPages = swapPages, NewAnonActive = newAnonActive });
        file = new FileObject("data", 64, PageCacheState.NotCached);
        mm = new AddressSpace(1);
        mm.AddVma(Fixtures.FileVma(FileBase, 16, file, name: "data"));
        mm.AddVma(new Vma(AnonBase, AnonBase + 1024 * Pages.Size, VmaKind.AnonPrivate, VmaProt.Read | VmaProt.Write, "buf"));
        m.RegisterMm(mm, null, chargeExisting: true);
        return m;
    }

    private static void Touch(MemoryModel m, AddressSpace mm, ulong start, int pages)
    {
        for (var i = 0; i < pages; i++) Charge(m, mm, start + (ulong)i * Pages.Size);
    }

    private static ChargeResult Charge(MemoryModel m, AddressSpace mm, ulong addr)
    {
        FaultModel.Handle(mm, addr, AccessKind.Write, FaultOptions.Default);
        return m.ChargeAnon(mm, Pages.Vpn(addr), 0);
    }
}
