namespace ActorKernel.Model;

/// <summary>
/// mm/memory.c do_fault_around(): the fault_around_bytes-aligned window of pages one file read
/// fault maps (when they are cached). Workloads place data relative to it: in the same window as
/// a page, or outside it. A value of one page or less means no fault-around: a window of one page.
/// </summary>
public readonly record struct FaultAroundWindow(int Pages)
{
    public static FaultAroundWindow Of(int faultAroundBytes) => new(Math.Max(1, faultAroundBytes / Model.Pages.Size));

    /// <summary>The page index, in <paramref name="region"/>, where the window holding page <paramref name="page"/> starts (negative when it starts below the region).</summary>
    public int StartOf(Region region, int page)
    {
        var vpn = (long)Model.Pages.Vpn(region.Addr(page));
        return page - (int)(vpn % Pages);
    }

    /// <summary>The first page at or after <paramref name="page"/> of <paramref name="region"/> where a window starts.</summary>
    public int FirstStartAtOrAfter(Region region, int page)
    {
        var start = StartOf(region, page);
        return start == page ? page : start + Pages;
    }
}
