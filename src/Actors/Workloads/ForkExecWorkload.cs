using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Memory;
using ActorKernel.Actors.Tasks;
using ActorKernel.Model;

namespace ActorKernel.Actors.Workloads;

/// <summary>
/// The seed's Case 1: a process forks (or vforks) and the child execs with a filename and
/// argv that live in .rodata (or on the stack, heap, .data), while a probe at
/// sys_enter_execve reads them. Settings: actor-kernel.workload.fork-exec.
/// </summary>
public sealed class ForkExecWorkload : IWorkload
{
    /// <summary>Page of the strings region holding filename and argv (inside the first 16-page fault-around window).</summary>
    public const int RodataStringsPage = 5;

    /// <summary>A page in the same aligned 16-page window as the strings page.</summary>
    public const int RodataNeighbourPage = 6;

    /// <summary>A page of .rodata outside the strings page's window.</summary>
    public const int RodataFarPage = 21;

    /// <summary>Where a non-PIE static argv[] sits in .rodata: the same window as the strings.</summary>
    public const int RodataArgvArrayPage = 12;

    private readonly ForkExecSettings _w;

    public ForkExecWorkload(ForkExecSettings settings)
    {
        _w = settings;
    }

    /// <summary>The parent's image after start-up, with strings and argv placed: also used by the pagemap view and tests.</summary>
    public static (ProcessImage Image, ExecveArgs Args, ulong ChildTouchAddr) BuildParent(int mmId, ActorKernelSettings s)
    {
        var w = s.Workload.ForkExec;
        var layout = s.Image;
        var prog = new FileObject("prog", layout.ProgFilePages);
        var libc = new FileObject("libc.so.6", layout.LibcFilePages);
        var image = ProcessImage.Build(mmId, layout, prog, libc);
        image.PopulateTypical();

        var (stringsRegion, stringsPage) = StringsPlace(w.Strings, layout);
        var offset = 0;
        UserString Place(string text)
        {
            var addr = image.PlaceString(stringsRegion, stringsPage, offset, text);
            var len = System.Text.Encoding.UTF8.GetByteCount(text) + 1;
            offset += len;
            return new UserString(addr, len);
        }
        var filename = Place("/usr/bin/true");
        var argv = new List<UserString> { Place("true") };
        for (var i = 1; i < w.Argc; i++) argv.Add(Place($"--arg{i}"));

        var (arrayRegion, arrayPage) = ArgvArrayPlace(w.ArgvArray, layout);
        var argvAddr = image.PlacePointerArray(arrayRegion, arrayPage, 0, argv.Select(a => a.Addr).ToArray());
        var argvText = new List<string> { "true" };
        for (var i = 1; i < w.Argc; i++) argvText.Add($"--arg{i}");

        var touchPage = w.ChildTouches switch
        {
            ChildTouches.StringsPage => stringsPage,
            ChildTouches.WindowNeighbour => stringsRegion == RegionKind.Rodata ? RodataNeighbourPage : NeighbourOf(stringsPage, image.RegionOf(stringsRegion).Pages),
            ChildTouches.FarPage => stringsRegion == RegionKind.Rodata ? RodataFarPage : FarFrom(stringsPage, image.RegionOf(stringsRegion).Pages),
            _ => -1,
        };
        var touchAddr = touchPage < 0 ? 0UL : image.RegionOf(stringsRegion).Addr(touchPage) + (ulong)(touchPage == stringsPage ? 0 : 64);
        return (image, new ExecveArgs(filename, argvAddr, argv) { FilenameText = "/usr/bin/true", ArgvText = argvText }, touchAddr);
    }

    /// <summary>First .rodata page of the windows used by <see cref="StringsPlacement.FreshWindowPerExec"/>.</summary>
    public const int FreshWindowsFirstPage = 32;

    /// <summary>Fault-around windows of .rodata available to <see cref="StringsPlacement.FreshWindowPerExec"/>.</summary>
    public static int FreshWindows(ImageLayout layout) => (layout.RodataPages - FreshWindowsFirstPage) / 16;

    /// <summary>
    /// The arguments of exec <paramref name="cycle"/> under fresh-window-per-exec: the same strings,
    /// placed at the start of the cycle's own 16-page window of .rodata (wrapping around), and the
    /// same argv array address (the parent rewrites the array on its stack every cycle).
    /// </summary>
    public static ExecveArgs FreshWindowArgs(ProcessImage image, ExecveArgs template, int cycle, ImageLayout layout)
    {
        var windows = FreshWindows(layout);
        if (windows < 1)
            throw new ConfigError($"workload.fork-exec.strings-placement = fresh-window-per-exec needs image.rodata-pages >= {FreshWindowsFirstPage + 16}, got {layout.RodataPages}");
        var page = FreshWindowsFirstPage + 16 * (cycle % windows);
        var region = image.RegionOf(RegionKind.Rodata);
        var offset = 0;
        UserString At(string text)
        {
            var len = System.Text.Encoding.UTF8.GetByteCount(text) + 1;
            var addr = region.Addr(page, offset);
            offset += len;
            return new UserString(addr, len);
        }
        var filename = At(template.FilenameText);
        var argv = template.ArgvText.Select(At).ToArray();
        return template with { Filename = filename, Argv = argv };
    }

    /// <summary>The children's execve: sys_enter_execve, re-read at sched_process_exec by a deferred program.</summary>
    public WorkloadProbes Probes { get; } = new("fork-exec", [ProbedAttachPoint.Execve]);

    public void Start(IWorkloadHost host)
    {
        var (image, args, childTouch) = BuildParent(host.NextMmId(), host.Settings);
        if (_w.StringsPlacement == StringsPlacement.FreshWindowPerExec && _w.Strings == StringsRegion.Rodata && FreshWindows(host.Settings.Image) < 1)
            FreshWindowArgs(image, args, 0, host.Settings.Image);
        var threads = new List<(IEnumerable<TaskOp>, bool)> { (ParentProgram(args, childTouch, image, host.Settings.Image), true) };
        for (var i = 1; i < _w.ParentThreads; i++) threads.Add((new TaskOp[] { new BlockForeverOp() }, false));
        // mmap-churn threads of this very process: they write-lock the mm its vfork/posix_spawn children exec from.
        var churn = host.Settings.Workload.MmapChurn;
        if (churn.Enabled && churn.Process == ChurnProcess.ForkExecParent)
            threads.AddRange(MmapChurnWorkload.Threads(churn, host.Sim, image.Mm.Id).Select(p => (p, false)));
        host.CreateProcess(image.Mm, threads);
    }

    private IEnumerable<TaskOp> ParentProgram(ExecveArgs template, ulong childTouch, ProcessImage image, ImageLayout layout)
    {
        var stringsOnFile = _w.Strings == StringsRegion.Rodata;
        var spawn = _w.Spawn == SpawnMethod.Fork ? SpawnKind.Fork : SpawnKind.Vfork;
        for (var cycle = 0; cycle < _w.Execs; cycle++)
        {
            var args = _w.StringsPlacement == StringsPlacement.FreshWindowPerExec && stringsOnFile
                ? FreshWindowArgs(image, template, cycle, layout)
                : template;
            // The strings page's cache state is re-established before every cycle; a page some
            // PTE maps cannot be evicted (invalidate_mapping_pages), so it may stay warm.
            if (stringsOnFile && _w.StringsPageCache != StringsPageCache.Warm)
                yield return new AdviseOp(args.Filename.Addr, _w.StringsPageCache == StringsPageCache.Cold ? PageCacheAdvice.DontNeed : PageCacheAdvice.ReadaheadMarker);
            if (_w.ArgvArray == ArgvArrayRegion.Stack)
                yield return new TouchOp(args.ArgvAddr, args.ArgvArrayBytes, AccessKind.Write);
            if (_w.ParentTouchesStrings)
            {
                yield return new TouchOp(args.Filename.Addr, args.Filename.LengthBytes, AccessKind.Read);
                foreach (var s in args.Argv) yield return new TouchOp(s.Addr, s.LengthBytes, AccessKind.Read);
                if (_w.ArgvArray != ArgvArrayRegion.Stack) yield return new TouchOp(args.ArgvAddr, args.ArgvArrayBytes, AccessKind.Read);
            }
            yield return new SpawnOp(spawn, () => ChildProgram(args, childTouch));
            yield return new WaitChildOp();
            if (_w.CycleIntervalUs > 0) yield return new SleepOp(_w.CycleIntervalUs * 1000);
        }
        GC.KeepAlive(image);
    }

    private IEnumerable<TaskOp> ChildProgram(ExecveArgs args, ulong childTouch)
    {
        if (childTouch != 0) yield return new TouchOp(childTouch, 1, AccessKind.Read);
        yield return new ExecOp(args);
    }

    // Anonymous memory has no fault-around: for it, "neighbour" and "far" are just other pages.
    private static int NeighbourOf(int page, int pages) => page + 1 < pages ? page + 1 : page - 1;

    private static int FarFrom(int page, int pages) => page >= pages / 2 ? 0 : pages - 1;

    private static (RegionKind Region, int Page) StringsPlace(StringsRegion r, ImageLayout layout) => r switch
    {
        StringsRegion.Rodata => (RegionKind.Rodata, RodataStringsPage),
        StringsRegion.Stack => (RegionKind.Stack, layout.StackPages - 2),
        StringsRegion.Heap => (RegionKind.Heap, Math.Min(16, layout.HeapPages - 1)),
        StringsRegion.Data => (RegionKind.Data, 0),
        _ => throw new ArgumentOutOfRangeException(nameof(r), r, null),
    };

    private static (RegionKind Region, int Page) ArgvArrayPlace(ArgvArrayRegion r, ImageLayout layout) => r switch
    {
        ArgvArrayRegion.Stack => (RegionKind.Stack, layout.StackPages - 3),
        ArgvArrayRegion.Relro => (RegionKind.Relro, 0),
        ArgvArrayRegion.Rodata => (RegionKind.Rodata, RodataArgvArrayPage),
        _ => throw new ArgumentOutOfRangeException(nameof(r), r, null),
    };
}
