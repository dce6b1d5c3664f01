using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Memory;
using ActorKernel.Actors.Tasks;
using ActorKernel.Model;

namespace ActorKernel.Actors.Workloads;

/// <summary>
/// The seed's Case 1: a process forks (or vforks) and the child execs with a filename and
/// argv that live in .rodata (or a library's .rodata, the stack, heap, .data), while a probe at
/// sys_enter_execve reads them; or it calls glibc's system()/popen(), which exec /bin/sh with
/// libc's literals (kernel-model.md §1.7). Settings: actor-kernel.workload.fork-exec.
/// </summary>
public sealed class ForkExecWorkload : IWorkload
{
    /// <summary>Page of the strings region holding filename and argv.</summary>
    public const int RodataStringsPage = RodataPlaces.StringsPage;

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
        if (w.Strings == StringsRegion.LibRodata && !w.ViaShell) image.AddLibrary(new FileObject("libhelper.so", layout.LibFilePages), layout);
        var window = FaultAroundWindow.Of(s.Mm.FaultAroundBytes);
        var rodata = new RodataPlaces(image.RegionOf(RegionKind.Rodata), window);
        if (w.ViaShell) return (image, ShellArgs(image, w.Argc, layout), 0);

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

        var (arrayRegion, arrayPage) = ArgvArrayPlace(w.ArgvArray, layout, rodata);
        var argvAddr = image.PlacePointerArray(arrayRegion, arrayPage, 0, argv.Select(a => a.Addr).ToArray());
        var argvText = new List<string> { "true" };
        for (var i = 1; i < w.Argc; i++) argvText.Add($"--arg{i}");

        // A file region's neighbour and far page follow its fault-around window (RodataPlaces), the library's as the program's.
        RodataPlaces? fileRegion = stringsRegion switch
        {
            RegionKind.Rodata => rodata,
            RegionKind.LibRodata => new RodataPlaces(image.RegionOf(RegionKind.LibRodata), window),
            _ => null,
        };
        var touchPage = w.ChildTouches switch
        {
            ChildTouches.StringsPage => stringsPage,
            ChildTouches.WindowNeighbour => fileRegion?.Neighbour ?? NeighbourOf(stringsPage, image.RegionOf(stringsRegion).Pages),
            ChildTouches.FarPage => fileRegion?.Far ?? FarFrom(stringsPage, image.RegionOf(stringsRegion).Pages),
            _ => -1,
        };
        var touchAddr = touchPage < 0 ? 0UL : image.RegionOf(stringsRegion).Addr(touchPage) + (ulong)(touchPage == stringsPage ? 0 : 64);
        return (image, new ExecveArgs(filename, argvAddr, argv) { FilenameText = "/usr/bin/true", ArgvText = argvText }, touchAddr);
    }

    /// <summary>
    /// system(cmd) / popen(cmd): execve("/bin/sh", { "sh", "-c", cmd, NULL }) with the three literals in
    /// libc's .rodata, the argv array on the stack (do_system()'s local new_argv, 2.28; a compound
    /// literal in 2.29+) and the command on the heap, where the program built it (GlibcSystem).
    /// </summary>
    private static ExecveArgs ShellArgs(ProcessImage image, int argc, ImageLayout layout)
    {
        var offset = 0;
        UserString Literal(string text)
        {
            var addr = image.PlaceString(RegionKind.LibcRodata, GlibcSystem.ShellLiteralsRodataPage, offset, text);
            var len = System.Text.Encoding.UTF8.GetByteCount(text) + 1;
            offset += len;
            return new UserString(addr, len);
        }
        var shell = Literal(GlibcSystem.ShellPath);
        var name = Literal(GlibcSystem.ShellName);
        var option = Literal(GlibcSystem.ShellOption);
        var commandText = string.Join(' ', new[] { "/usr/bin/true" }.Concat(Enumerable.Range(1, argc - 1).Select(i => $"--arg{i}")));
        var (heap, heapPage) = StringsPlace(StringsRegion.Heap, layout);
        var command = new UserString(image.PlaceString(heap, heapPage, 0, commandText), System.Text.Encoding.UTF8.GetByteCount(commandText) + 1);
        var (stack, stackPage) = ArgvArrayPlace(ArgvArrayRegion.Stack, layout, null);
        var argv = new[] { name, option, command };
        var argvAddr = image.PlacePointerArray(stack, stackPage, 0, argv.Select(a => a.Addr).ToArray());
        return new ExecveArgs(shell, argvAddr, argv)
        {
            FilenameText = GlibcSystem.ShellPath,
            ArgvText = [GlibcSystem.ShellName, GlibcSystem.ShellOption, commandText],
        };
    }

    /// <summary>
    /// The arguments of exec <paramref name="cycle"/> under fresh-window-per-exec: the same strings,
    /// placed at the start of the cycle's own fault-around window of .rodata (wrapping around), and the
    /// same argv array address (the parent rewrites the array on its stack every cycle).
    /// </summary>
    private static ExecveArgs FreshWindowArgs(RodataPlaces rodata, ExecveArgs template, int cycle)
    {
        if (rodata.FreshWindows < 1)
            throw new InvalidOperationException($"fresh-window-per-exec with image.rodata-pages = {rodata.Region.Pages}: binding admits no such settings (ActorKernelSchema)");
        var page = rodata.FreshFirstPage + rodata.Window.Pages * (cycle % rodata.FreshWindows);
        var region = rodata.Region;
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
        var mmId = host.NextMmId();
        var settings = host.Settings with { Image = ProcessLayout.For(host, mmId) };
        var (image, args, childTouch) = BuildParent(mmId, settings);
        var rodata = new RodataPlaces(image.RegionOf(RegionKind.Rodata), FaultAroundWindow.Of(host.Settings.Mm.FaultAroundBytes));
        var threads = new List<(IEnumerable<TaskOp>, bool)> { (ParentProgram(args, childTouch, image, rodata, LibcReads.Of(_w, image, settings.Image)), true) };
        for (var i = 1; i < _w.ParentThreads; i++) threads.Add((new TaskOp[] { new BlockForeverOp() }, false));
        // mmap-churn threads of this very process: they write-lock the mm its vfork/posix_spawn children exec from.
        var churn = host.Settings.Workload.MmapChurn;
        if (churn.Enabled && churn.Process == ChurnProcess.ForkExecParent)
            threads.AddRange(MmapChurnWorkload.Threads(churn, host.Sim, image.Mm.Id).Select(p => (p, false)));
        host.CreateProcess(image.Mm, threads);
    }

    /// <summary>
    /// What glibc reads of its own .rodata around a posix_spawn() (0: nothing): popen()'s mode-switch jump table (the
    /// caller, before it spawns), sigall_set (the kernel, GlibcPosixSpawn) and the file-actions jump table (the child,
    /// before its exec). Measured on Debian's glibc 2.36 (docs/calibration.md); system() reads only sigall_set.
    /// </summary>
    private readonly record struct LibcReads(ulong PopenModeTable, ulong SigallSet, ulong FileActionsTable)
    {
        public static LibcReads Of(ForkExecSettings w, ProcessImage image, ImageLayout layout)
        {
            if (!w.SpawnsWithPosixSpawn) return default;
            var sigall = GlibcPosixSpawn.SigallSetAddr(image, layout.LibcSigallSetDistancePages);
            if (w.Spawn != SpawnMethod.Popen) return new LibcReads(0, sigall, 0);
            return new LibcReads(GlibcPosixSpawn.LibcRodataReadAddr(image, layout.LibcPopenModeTableDistancePages), sigall,
                GlibcPosixSpawn.LibcRodataReadAddr(image, layout.LibcFileActionsTableDistancePages));
        }
    }

    private IEnumerable<TaskOp> ParentProgram(ExecveArgs template, ulong childTouch, ProcessImage image, RodataPlaces rodata, LibcReads libc)
    {
        // The shell's literals are in libc's .rodata: a file page like the program's own literals.
        var stringsOnFile = _w.ViaShell || _w.Strings is StringsRegion.Rodata or StringsRegion.LibRodata;
        var spawn = _w.SpawnKind;
        for (var cycle = 0; cycle < _w.Execs; cycle++)
        {
            var args = _w.StringsPlacement == StringsPlacement.FreshWindowPerExec && _w.Strings == StringsRegion.Rodata && !_w.ViaShell
                ? FreshWindowArgs(rodata, template, cycle)
                : template;
            // The strings page's cache state is re-established before every cycle; a page some
            // PTE maps cannot be evicted (invalidate_mapping_pages), so it may stay warm.
            if (stringsOnFile && _w.StringsPageCache != StringsPageCache.Warm)
                yield return new AdviseOp(args.Filename.Addr, _w.StringsPageCache == StringsPageCache.Cold ? PageCacheAdvice.DontNeed : PageCacheAdvice.ReadaheadMarker);
            if (_w.ArgvArray == ArgvArrayRegion.Stack || _w.ViaShell)
                yield return new TouchOp(args.ArgvAddr, args.ArgvArrayBytes, AccessKind.Write);
            if (_w.ViaShell)
            {
                // The program writes the command (snprintf into a heap buffer); it never reads libc's literals itself.
                var command = args.Argv[^1];
                yield return new TouchOp(command.Addr, command.LengthBytes, AccessKind.Write);
            }
            else if (_w.ParentTouchesStrings)
            {
                yield return new TouchOp(args.Filename.Addr, args.Filename.LengthBytes, AccessKind.Read);
                foreach (var s in args.Argv) yield return new TouchOp(s.Addr, s.LengthBytes, AccessKind.Read);
                if (_w.ArgvArray != ArgvArrayRegion.Stack) yield return new TouchOp(args.ArgvAddr, args.ArgvArrayBytes, AccessKind.Read);
            }
            // _IO_new_proc_open() switches on popen()'s mode through a jump table in libc's .rodata.
            if (libc.PopenModeTable != 0) yield return new TouchOp(libc.PopenModeTable, JumpTableEntryBytes, AccessKind.Read);
            // glibc's __spawnix() blocks every signal before its clone: the kernel reads sigall_set in libc's .rodata (GlibcPosixSpawn).
            if (libc.SigallSet != 0) yield return new KernelReadOp(libc.SigallSet, GlibcPosixSpawn.SigsetBytes);
            yield return new SpawnOp(spawn, () => ChildProgram(args, childTouch, libc.FileActionsTable));
            yield return new WaitChildOp();
            if (_w.CycleIntervalUs > 0) yield return new SleepOp(SimTime.UsToNs(_w.CycleIntervalUs));
        }
        GC.KeepAlive(image);
    }

    // One entry of a switch's jump table: a 32-bit offset.
    private const int JumpTableEntryBytes = 4;

    private static IEnumerable<TaskOp> ChildProgram(ExecveArgs args, ulong childTouch, ulong fileActionsTable)
    {
        if (childTouch != 0) yield return new TouchOp(childTouch, 1, AccessKind.Read);
        // __spawni_child() switches over popen()'s file actions (dup2, close) through a jump table, on the parent's mm.
        if (fileActionsTable != 0) yield return new TouchOp(fileActionsTable, JumpTableEntryBytes, AccessKind.Read);
        yield return new ExecOp(args);
    }

    // Anonymous memory has no fault-around: for it, "neighbour" and "far" are just other pages.
    internal static int NeighbourOf(int page, int pages) => page + 1 < pages ? page + 1 : page - 1;

    private static int FarFrom(int page, int pages) => page >= pages / 2 ? 0 : pages - 1;

    /// <summary>The region and page of the strings; shared with the literal-syscall workload.</summary>
    internal static (RegionKind Region, int Page) StringsPlace(StringsRegion r, ImageLayout layout) => r switch
    {
        StringsRegion.Rodata => (RegionKind.Rodata, RodataStringsPage),
        StringsRegion.LibRodata => (RegionKind.LibRodata, RodataStringsPage),
        StringsRegion.Stack => (RegionKind.Stack, layout.StackPages - 2),
        StringsRegion.Heap => (RegionKind.Heap, Math.Min(16, layout.HeapPages - 1)),
        StringsRegion.Data => (RegionKind.Data, 0),
        _ => throw new ArgumentOutOfRangeException(nameof(r), r, null),
    };

    private static (RegionKind Region, int Page) ArgvArrayPlace(ArgvArrayRegion r, ImageLayout layout, RodataPlaces? rodata) => r switch
    {
        ArgvArrayRegion.Stack => (RegionKind.Stack, layout.StackPages - 3),
        ArgvArrayRegion.Relro => (RegionKind.Relro, 0),
        ArgvArrayRegion.Rodata => (RegionKind.Rodata, rodata!.ArgvArray),
        _ => throw new ArgumentOutOfRangeException(nameof(r), r, null),
    };
}
