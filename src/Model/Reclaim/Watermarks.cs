namespace ActorKernel.Model;

/// <summary>A node's free-page watermarks, in pages (include/linux/mmzone.h WMARK_MIN, WMARK_LOW, WMARK_HIGH).</summary>
/// <param name="MinPages">Below it an allocation reclaims directly (__alloc_pages_slowpath → __alloc_pages_direct_reclaim).</param>
/// <param name="LowPages">Below it an allocation wakes the node's kswapd (wakeup_kswapd).</param>
/// <param name="HighPages">kswapd reclaims until free pages reach it, then sleeps (pgdat_balanced).</param>
public readonly record struct Watermarks(long MinPages, long LowPages, long HighPages)
{
    /// <summary>vm.watermark_scale_factor default, in 1/10000 of the node's memory (mm/page_alloc.c, 4.14, 6.8, 6.18).</summary>
    public const int DefaultScaleFactor = 10;

    /// <summary>
    /// mm/page_alloc.c calculate_min_free_kbytes() (6.8, 6.18; init_per_zone_wmark_min() in 4.14):
    /// int_sqrt(lowmem_kbytes * 16), clamped to [128, 262144] KiB (6.8, 6.18) or [128, 65536] KiB (4.14).
    /// </summary>
    public static long MinFreeKbytes(long lowmemPages, long maxMinFreeKbytes)
    {
        ModelInvariantException.Check(lowmemPages > 0, $"min_free_kbytes of {lowmemPages} pages");
        var lowmemKbytes = lowmemPages * (Pages.Size >> 10);
        var kbytes = (long)Math.Sqrt((double)lowmemKbytes * 16);
        return Math.Clamp(kbytes, 128, maxMinFreeKbytes);
    }

    /// <summary>
    /// mm/page_alloc.c __setup_per_zone_wmarks() (4.14, 6.8, 6.18) for one node with one zone:
    /// min is the node's share of min_free_kbytes (managed / lowmem); the gap
    /// max(min / 4, managed × watermark_scale_factor / 10000) separates min from low and low from high.
    /// </summary>
    public static Watermarks Compute(long managedPages, long lowmemPages, int watermarkScaleFactor, long maxMinFreeKbytes)
    {
        ModelInvariantException.Check(managedPages > 0 && managedPages <= lowmemPages, $"watermarks of {managedPages} of {lowmemPages} pages");
        var pagesMin = MinFreeKbytes(lowmemPages, maxMinFreeKbytes) >> (Pages.Shift - 10);
        var min = pagesMin * managedPages / lowmemPages;
        var gap = Math.Max(min >> 2, managedPages * watermarkScaleFactor / 10000);
        return new Watermarks(min, min + gap, min + 2 * gap);
    }
}
