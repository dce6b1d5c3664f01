namespace ActorKernel.Model;

/// <summary>
/// Where the fork-exec workload's .rodata data sits relative to the fault-around window
/// (mm.fault-around-bytes, mm/memory.c do_fault_around()): the strings' window neighbour, a page
/// outside that window, the argv array inside it, and the windows fresh-window-per-exec uses one
/// per exec. Configuration binding asks it too, so the rule "enough .rodata for one fresh window"
/// is checked with the numbers the workload uses.
/// </summary>
public sealed class RodataPlaces
{
    /// <summary>Page of .rodata holding filename and argv.</summary>
    public const int StringsPage = 5;

    /// <summary>Where a non-PIE static argv[] sits in .rodata, at a fault-around window of 16 pages or more: the strings' window.</summary>
    public const int ArgvArrayPage = 12;

    /// <summary>.rodata page from which fresh-window-per-exec uses windows (the first window starting there or after).</summary>
    public const int FreshWindowsFromPage = 32;

    /// <summary>The places in the .rodata of an image laid out as <paramref name="layout"/>.</summary>
    public static RodataPlaces Of(ImageLayout layout, int faultAroundBytes)
    {
        var image = ProcessImage.Build(0, layout, new FileObject("prog", layout.ProgFilePages), new FileObject("libc.so.6", layout.LibcFilePages));
        return new RodataPlaces(image.RegionOf(RegionKind.Rodata), FaultAroundWindow.Of(faultAroundBytes));
    }

    public RodataPlaces(Region rodata, FaultAroundWindow window)
    {
        Region = rodata;
        Window = window;
        var start = window.StartOf(rodata, StringsPage);
        var end = start + window.Pages;
        Neighbour = StringsPage + 1 < end || window.Pages == 1 ? StringsPage + 1 : StringsPage - 1;
        // The same offset in the next window: outside the strings' window whatever its size (clipped to .rodata).
        Far = Math.Min(StringsPage + window.Pages, rodata.Pages - 1);
        var inWindow = Math.Clamp(ArgvArrayPage, Math.Max(start, 0), end - 1);
        ArgvArray = window.Pages == 1 ? ArgvArrayPage : inWindow == StringsPage ? Neighbour : inWindow;
        FreshFirstPage = window.FirstStartAtOrAfter(rodata, FreshWindowsFromPage);
        FreshWindows = Math.Max(0, (rodata.Pages - FreshFirstPage) / window.Pages);
    }

    public Region Region { get; }

    public FaultAroundWindow Window { get; }

    /// <summary>A page in the strings page's window, not the strings page (with no fault-around, just the next page).</summary>
    public int Neighbour { get; }

    /// <summary>A page outside the strings page's window.</summary>
    public int Far { get; }

    /// <summary>Where a non-PIE static argv[] sits: in the strings' window.</summary>
    public int ArgvArray { get; }

    /// <summary>First page of the windows used by fresh-window-per-exec.</summary>
    public int FreshFirstPage { get; }

    /// <summary>How many whole windows of .rodata fresh-window-per-exec can use.</summary>
    public int FreshWindows { get; }
}
