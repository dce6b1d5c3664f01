namespace ActorKernel.Model;

/// <summary>
/// mm/memory.c do_fault_around(): the window of pages one file read fault maps (when they are
/// cached): from the address aligned down to fault_around_bytes, or from the VMA start if that is
/// later, for one window (see <see cref="FaultModel.DoFaultAround"/>). Workloads place data relative
/// to it: in the window of a page, or outside it. A value of one page or less means no fault-around:
/// a window of one page.
/// </summary>
public readonly record struct FaultAroundWindow(int Pages)
{
    public static FaultAroundWindow Of(int faultAroundBytes) => new(Math.Max(1, faultAroundBytes / Model.Pages.Size));

    /// <summary>
    /// The page index, in <paramref name="region"/> (one VMA, page 0 its start), where the window of a fault at page
    /// <paramref name="page"/> starts: its aligned window's start, or the region start when the region begins inside that window.
    /// </summary>
    public int StartOf(Region region, int page)
    {
        var vpn = (long)Model.Pages.Vpn(region.Addr(page));
        return Math.Max(0, page - (int)(vpn % Pages));
    }

    /// <summary>
    /// The first page at or after <paramref name="page"/> of <paramref name="region"/> where an aligned window starts;
    /// it may lie at or past the region's end (then no window of the region starts there).
    /// </summary>
    public int FirstStartAtOrAfter(Region region, int page)
    {
        var into = (int)(((long)Model.Pages.Vpn(region.StartAddr) + page) % Pages);
        return into == 0 ? page : page + Pages - into;
    }

    /// <summary>
    /// The first page at or after <paramref name="page"/> of <paramref name="region"/> that ends an aligned window
    /// lying wholly in the region, or the region's last page: a fault there maps up to it and never the page after,
    /// which no fault-around window of a page before it reaches either.
    /// </summary>
    public int WindowEndAtOrAfter(Region region, int page)
    {
        var p = page;
        while (p < region.Pages - 1 && (p < Pages - 1 || (long)Model.Pages.Vpn(region.Addr(p)) % Pages != Pages - 1)) p++;
        return p;
    }
}
