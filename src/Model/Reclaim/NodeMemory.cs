namespace ActorKernel.Model;

/// <summary>One node's memory (struct pglist_data with one zone): free pages, watermarks, the LRU and kswapd's state.</summary>
public sealed class NodeMemory
{
    public NodeMemory(int id, long managedPages, Watermarks watermarks)
    {
        Id = id;
        ManagedPages = managedPages;
        FreePages = managedPages;
        Watermarks = watermarks;
    }

    public int Id { get; }

    /// <summary>zone_managed_pages().</summary>
    public long ManagedPages { get; }

    /// <summary>NR_FREE_PAGES.</summary>
    public long FreePages { get; internal set; }

    public Watermarks Watermarks { get; }

    public Lruvec Lru { get; } = new();

    /// <summary>kswapd was woken and has not gone back to sleep (wakeup_kswapd() finds it running).</summary>
    public bool KswapdAwake { get; internal set; }

    /// <summary>mm/vmscan.c pgdat_balanced(): free pages at or above the high watermark.</summary>
    public bool Balanced => FreePages >= Watermarks.HighPages;
}

/// <summary>What one reclaim call did (the vmstat counters pgscan, pgsteal, pswpout, pgactivate, pgdeactivate).</summary>
public readonly record struct ReclaimResult(int Scanned, int Reclaimed, int EvictedFile, int SwappedOut, int Activated, int Deactivated)
{
    public static ReclaimResult operator +(ReclaimResult a, ReclaimResult b) => new(
        a.Scanned + b.Scanned, a.Reclaimed + b.Reclaimed, a.EvictedFile + b.EvictedFile,
        a.SwappedOut + b.SwappedOut, a.Activated + b.Activated, a.Deactivated + b.Deactivated);
}

/// <summary>What charging one new page did besides taking it.</summary>
/// <param name="Reclaim">Direct reclaim the charging task did (memcg limit or the min watermark); its time is the task's.</param>
/// <param name="WakeKswapd">The node fell below its low watermark and its kswapd was asleep: wake it.</param>
public readonly record struct ChargeResult(ReclaimResult Reclaim, bool WakeKswapd);

/// <summary>The run's memory configuration (actor-kernel.machine.memory-per-node-mb, actor-kernel.memory).</summary>
public sealed record MemoryParams
{
    public required int Nodes { get; init; }
    public required long PagesPerNode { get; init; }
    public int WatermarkScaleFactor { get; init; } = Watermarks.DefaultScaleFactor;

    /// <summary>The clamp of calculate_min_free_kbytes(): 262144 (6.8, 6.18) or 65536 (4.14).</summary>
    public long MaxMinFreeKbytes { get; init; } = 262_144;

    public long SwapPages { get; init; }

    /// <summary>vm.swappiness, 0 to 200 (6.x; 0 to 100 in 4.14).</summary>
    public int Swappiness { get; init; } = 60;

    /// <summary>
    /// The anonymous LRU before 5.9: new anonymous folios start on the active list (4.14
    /// lru_cache_add_active_or_unevictable()), and page_check_references() activates a referenced one
    /// at once (PageSwapBacked). 6.8 and 6.18 start them inactive and give them the file rules.
    /// </summary>
    public bool NewAnonActive { get; init; }
}
