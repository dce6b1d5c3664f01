using ActorKernel.Actors.Memory;
using ActorKernel.Actors.Tasks;
using ActorKernel.Model;
using ActorKernel.TestKit.ScenarioFiles;

namespace ActorKernel.TestKit;

/// <summary>
/// A process for a scenario: an ELF-like image (see <see cref="ProcessImage"/>) with named
/// strings and pointer arrays placed in its regions, and one program per thread.
/// </summary>
public sealed class ProcessBuilder
{
    internal readonly List<(string Name, RegionKind Region, int Page, string Text)> Strings = new();
    internal readonly List<(string Name, RegionKind Region, int Page, string[] Targets)> Arrays = new();
    internal readonly List<(ProgramBuilder Program, bool Main)> Threads = new();

    /// <summary>Place a NUL-terminated string called <paramref name="name"/> on page <paramref name="page"/> of <paramref name="region"/>.</summary>
    public ProcessBuilder String(string name, RegionKind region, int page, string text)
    {
        Strings.Add((name, region, page, text));
        return this;
    }

    /// <summary>Place a NULL-terminated pointer array (like argv) pointing at the named strings.</summary>
    public ProcessBuilder PointerArray(string name, RegionKind region, int page, params string[] strings)
    {
        Arrays.Add((name, region, page, strings));
        return this;
    }

    /// <summary>A thread running <paramref name="program"/>; the run ends when every such thread has exited.</summary>
    public ProcessBuilder Thread(Action<ProgramBuilder> program) => AddThread(program, main: true);

    /// <summary>A thread the run does not wait for (it may block forever).</summary>
    public ProcessBuilder BackgroundThread(Action<ProgramBuilder> program) => AddThread(program, main: false);

    private ProcessBuilder AddThread(Action<ProgramBuilder> program, bool main)
    {
        var p = new ProgramBuilder();
        program(p);
        Threads.Add((p, main));
        return this;
    }
}

/// <summary>The steps of one thread, naming strings and arrays of its process.</summary>
public sealed partial class ProgramBuilder
{
    internal readonly List<Func<PlacedImage, TaskOp>> Steps = new();

    /// <summary>Read the named string or array (a user-mode access: faults as needed).</summary>
    public ProgramBuilder Read(string name) => Add(new ReadStep(name), img => img.Touch(name, AccessKind.Read));

    /// <summary>Write the named string or array.</summary>
    public ProgramBuilder Write(string name) => Add(new WriteStep(name), img => img.Touch(name, AccessKind.Write));

    /// <summary>Read one byte at page <paramref name="page"/> of <paramref name="region"/>.</summary>
    public ProgramBuilder ReadPage(RegionKind region, int page) => Add(new ReadPageStep(region, page), img => new TouchOp(img.Image.RegionOf(region).Addr(page), 1, AccessKind.Read));

    /// <summary>fork(): the child runs <paramref name="child"/> on a copy of the address space.</summary>
    public ProgramBuilder Fork(Action<ProgramBuilder> child) => Spawn(SpawnKind.Fork, child);

    /// <summary>vfork(): the child runs <paramref name="child"/> on this address space; this thread waits until it execs or exits.</summary>
    public ProgramBuilder Vfork(Action<ProgramBuilder> child) => Spawn(SpawnKind.Vfork, child);

    /// <summary>execve(filename, argv): sys_enter_execve fires with these pointers.</summary>
    public ProgramBuilder Exec(string filename, string argvArray) => Add(new ExecStep(filename, argvArray), img => new ExecOp(img.Execve(filename, argvArray)));

    /// <summary>wait4() for one child.</summary>
    public ProgramBuilder WaitChild() => Add(new WaitChildStep(), _ => new WaitChildOp());

    /// <summary>Sleep for a virtual duration.</summary>
    public ProgramBuilder Sleep(long ns) => Add(new SleepStep(ns), _ => new SleepOp(ns));

    /// <summary>Take the mmap_lock (for write, like mmap/munmap/mprotect) and hold it for <paramref name="ns"/>.</summary>
    public ProgramBuilder HoldMmapLock(bool write, long ns) => Add(new HoldMmapLockStep(write, ns), _ => new HoldMmapLockOp(write, ns));

    /// <summary>Evict the file page behind the named string (unless it is mapped), optionally leaving PG_readahead on it.</summary>
    public ProgramBuilder EvictPageOf(string name, bool readaheadMarker = false) =>
        Add(new EvictStep(name, readaheadMarker), img => new AdviseOp(img.Addr(name), readaheadMarker ? PageCacheAdvice.ReadaheadMarker : PageCacheAdvice.DontNeed));

    /// <summary>Sleep until the run ends.</summary>
    public ProgramBuilder BlockForever() => Add(new BlockForeverStep(), _ => new BlockForeverOp());

    private ProgramBuilder Spawn(SpawnKind kind, Action<ProgramBuilder> child)
    {
        var c = new ProgramBuilder();
        child(c);
        return Add(new SpawnStep(kind, c.Recorded), img => new SpawnOp(kind, () => c.Build(img)));
    }

    private ProgramBuilder Add(ScenarioStep recorded, Func<PlacedImage, TaskOp> step)
    {
        Record(recorded);
        Steps.Add(step);
        return this;
    }

    internal IEnumerable<TaskOp> Build(PlacedImage image) => Steps.Select(s => s(image));
}

/// <summary>A process image with its named placements resolved to addresses.</summary>
public sealed class PlacedImage
{
    private readonly Dictionary<string, UserString> _named = new(StringComparer.Ordinal);

    internal PlacedImage(ProcessImage image)
    {
        Image = image;
    }

    public ProcessImage Image { get; }

    /// <summary>The address of a named string or array.</summary>
    public ulong Addr(string name) => Get(name).Addr;

    internal void Add(string name, UserString s)
    {
        if (!_named.TryAdd(name, s)) throw new ArgumentException($"'{name}' is placed twice in the process");
    }

    internal UserString Get(string name) =>
        _named.TryGetValue(name, out var s) ? s : throw new ArgumentException($"nothing called '{name}' is placed in the process");

    internal TouchOp Touch(string name, AccessKind kind)
    {
        var s = Get(name);
        return new TouchOp(s.Addr, s.LengthBytes, kind);
    }

    internal ExecveArgs Execve(string filename, string argvArray)
    {
        var array = Image.PlacementAt(Addr(argvArray));
        var argv = (array.Pointers ?? throw new ArgumentException($"'{argvArray}' is a string, not a pointer array"))
            .Select(p => new UserString(p, Image.PlacementAt(p).LengthBytes)).ToArray();
        return new ExecveArgs(Get(filename), array.Addr, argv);
    }
}
