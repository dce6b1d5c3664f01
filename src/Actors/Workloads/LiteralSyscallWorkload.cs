using System.Text;
using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Tasks;
using ActorKernel.Model;

namespace ActorKernel.Actors.Workloads;

/// <summary>
/// A process passes string literals it never read to a syscall, with no fork (kernel-model.md §1.8):
/// open("README.md") or execve("/bin/ls", { "ls", NULL }). Its image is populated as a process that
/// has run (PopulateTypical), which never reads .rodata: the literals' page is cached but not mapped,
/// so the probe at the syscall's entry fails unless what the process read before mapped it by
/// fault-around. The kernel's getname() / copy_strings() after the tracepoint then maps it, so a later
/// openat of the same literal is readable; each execve is its own process. Settings:
/// actor-kernel.workload.literal-syscall.
/// </summary>
public sealed class LiteralSyscallWorkload : IWorkload
{
    /// <summary>The probe's name for openat's path argument (results' byTarget key).</summary>
    public const string PathTarget = "path";

    private readonly LiteralSyscallSettings _w;

    public LiteralSyscallWorkload(LiteralSyscallSettings settings)
    {
        _w = settings;
        Probes = new WorkloadProbes("literal-syscall", settings.Syscall == LiteralSyscall.Openat
            ? [new ProbedAttachPoint(Tracepoint.SysEnterOpenat, null)]
            : [ProbedAttachPoint.Execve]);
    }

    /// <summary>openat: sys_enter_openat (no later point in this model); execve: sys_enter_execve, re-read at sched_process_exec.</summary>
    public WorkloadProbes Probes { get; }

    /// <summary>A process image with the literals placed, and the address it reads before each call (0: none).</summary>
    public static (ProcessImage Image, ExecveArgs Args, ulong TouchAddr) BuildImage(int mmId, ActorKernelSettings s)
    {
        var w = s.Workload.LiteralSyscall;
        var layout = s.Image;
        var image = ProcessImage.Build(mmId, layout, new FileObject("prog", layout.ProgFilePages), new FileObject("libc.so.6", layout.LibcFilePages));
        image.PopulateTypical();
        var strings = w.Strings switch
        {
            LiteralStrings.Rodata => StringsRegion.Rodata,
            LiteralStrings.LibRodata => StringsRegion.LibRodata,
            LiteralStrings.Stack => StringsRegion.Stack,
            _ => StringsRegion.Heap,
        };
        if (strings == StringsRegion.LibRodata) image.AddLibrary(new FileObject("libhelper.so", layout.LibFilePages), layout);
        var (region, page) = ForkExecWorkload.StringsPlace(strings, layout);
        var window = FaultAroundWindow.Of(s.Mm.FaultAroundBytes);
        var fileRegion = region is RegionKind.Rodata or RegionKind.LibRodata;
        var regionPages = image.RegionOf(region).Pages;
        ExecveArgs args;
        if (w.Syscall == LiteralSyscall.Openat)
        {
            // The path ends at the end of its page, the last page of an aligned fault-around window (file regions):
            // the next page is outside every window that maps this one, so only a fixed-size read can reach it.
            if (fileRegion) page = window.WindowEndAtOrAfter(image.RegionOf(region), page);
            var openPath = w.OpenPath;
            var len = Encoding.UTF8.GetByteCount(openPath) + 1;
            var path = new UserString(image.PlaceString(region, page, Pages.Size - len, openPath), len);
            args = new ExecveArgs(path, 0, []) { FilenameText = openPath };
        }
        else
        {
            var offset = 0;
            UserString Place(string text)
            {
                var addr = image.PlaceString(region, page, offset, text);
                var len = Encoding.UTF8.GetByteCount(text) + 1;
                offset += len;
                return new UserString(addr, len);
            }
            var filename = Place("/bin/ls");
            var argv = new[] { Place("ls") };
            // char *argv[] = { "ls", NULL }: a local array, written on the stack before the call.
            var stack = image.RegionOf(RegionKind.Stack);
            var argvAddr = image.PlacePointerArray(RegionKind.Stack, stack.Pages - 3, 0, argv.Select(a => a.Addr).ToArray());
            args = new ExecveArgs(filename, argvAddr, argv) { FilenameText = "/bin/ls", ArgvText = ["ls"] };
        }
        // A page in the literals' fault-around window other than theirs (the previous one when theirs ends the window).
        var neighbour = fileRegion && window.Pages > 1 && page + 1 >= window.StartOf(image.RegionOf(region), page) + window.Pages
            ? page - 1
            : ForkExecWorkload.NeighbourOf(page, regionPages);
        var touchPage = w.TouchedBefore switch
        {
            TouchedBefore.StringsPage => page,
            TouchedBefore.WindowNeighbour => neighbour,
            _ => -1,
        };
        var touchAddr = touchPage < 0 ? 0UL : image.RegionOf(region).Addr(touchPage) + (ulong)(touchPage == page ? 0 : 64);
        return (image, args, touchAddr);
    }

    public void Start(IWorkloadHost host)
    {
        if (_w.Syscall == LiteralSyscall.Openat)
        {
            var (image, args, touch) = Build(host);
            host.CreateProcess(image.Mm, [(OpenProgram(args.Filename, touch), true)]);
            return;
        }
        // exec replaces the caller: each call is a process of its own, started with the run.
        for (var i = 0; i < _w.Calls; i++)
        {
            var (image, args, touch) = Build(host);
            host.CreateProcess(image.Mm, [(ExecProgram(args, touch), true)]);
        }
    }

    // Each process places libc as ASLR does (image.libc-load-offset-pages), like the fork-exec parent.
    private static (ProcessImage Image, ExecveArgs Args, ulong TouchAddr) Build(IWorkloadHost host)
    {
        var mmId = host.NextMmId();
        return BuildImage(mmId, host.Settings with { Image = ProcessLayout.For(host, mmId) });
    }

    // openat(AT_FDCWD, "README.md", O_RDONLY), `calls` times: getname() copies the path after sys_enter_openat.
    private IEnumerable<TaskOp> OpenProgram(UserString path, ulong touch)
    {
        var pointer = new SyscallPointer(PathTarget, path.Addr, path.LengthBytes) { IsString = true };
        for (var i = 0; i < _w.Calls; i++)
        {
            if (touch != 0) yield return new TouchOp(touch, 1, AccessKind.Read);
            yield return new SyscallOp(Tracepoint.SysEnterOpenat, new SyscallArgs([pointer], [pointer]));
        }
    }

    private static IEnumerable<TaskOp> ExecProgram(ExecveArgs args, ulong touch)
    {
        if (touch != 0) yield return new TouchOp(touch, 1, AccessKind.Read);
        yield return new TouchOp(args.ArgvAddr, args.ArgvArrayBytes, AccessKind.Write);
        yield return new ExecOp(args);
    }
}
