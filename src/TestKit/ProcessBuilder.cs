using ActorKernel.Actors.Memory;
using ActorKernel.Actors.Tasks;
using ActorKernel.Model;
using ActorKernel.TestKit.ScenarioFiles;

namespace ActorKernel.TestKit;

/// <summary>
/// A process for a scenario: an ELF-like image (see <see cref="ProcessImage"/>) with named
/// strings and pointer arrays placed in its regions, and one program per thread.
/// </summary>
/// <remarks>
/// Starting state: the process starts as one that has run (<see cref="ProcessImage.PopulateTypical"/>):
/// program and libc text and the vDSO read; data, bss, heap, stack and libc data written; relro
/// holding ld.so's read-only copies. The program's and libc's <c>.rodata</c> start untouched, with
/// no PTE — a real process has touched parts of libc's <c>.rodata</c> through the dynamic loader
/// and libc start-up: say which with <see cref="TouchedAtStart"/>.
/// </remarks>
public sealed class ProcessBuilder
{
    /// <summary>A process that places anything in a library's regions links that library (ProcessImage.AddLibrary).</summary>
    internal void LinkLibraryIfUsed(ProcessImage image, ImageLayout layout)
    {
        if (Strings.Select(s => s.Region).Concat(Arrays.Select(a => a.Region)).Any(r => r is RegionKind.LibText or RegionKind.LibRodata))
            image.AddLibrary(new FileObject("libhelper.so", layout.LibFilePages), layout);
    }

    internal readonly List<(string Name, RegionKind Region, int Page, string Text)> Strings = new();
    internal readonly List<(string Name, RegionKind Region, int Page, string[] Targets)> Arrays = new();
    internal readonly List<(ProgramBuilder Program, bool Main)> Threads = new();
    internal readonly List<(RegionKind Region, int FirstPage, int Pages)> StartTouches = new();

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

    /// <summary>
    /// Pages <paramref name="firstPage"/> .. <paramref name="firstPage"/> + <paramref name="pageCount"/> - 1 of
    /// <paramref name="region"/> were read before the scenario starts (by the dynamic loader or libc start-up,
    /// say); each read faulted as the kernel would, fault-around included.
    /// </summary>
    public ProcessBuilder TouchedAtStart(RegionKind region, int firstPage, int pageCount = 1)
    {
        StartTouches.Add((region, firstPage, pageCount));
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

    /// <summary>The syscall tracepoints this process's programs fire besides execve (their attach points must be declared).</summary>
    internal IEnumerable<Tracepoint> SyscallPoints => Threads.SelectMany(t => t.Program.SyscallPoints).Distinct();

    /// <summary>Everything about this process that can be checked before the run, against a freshly built image of the scenario's layout.</summary>
    internal void Check(ProcessCheck check)
    {
        foreach (var (name, region, page, text) in Strings)
            check.Place(name, region, page, System.Text.Encoding.UTF8.GetByteCount(text) + 1, isArray: false);
        foreach (var (name, region, page, targets) in Arrays)
        {
            foreach (var target in targets) check.String(target, $"PointerArray(\"{name}\")");
            check.Place(name, region, page, 8 * (targets.Length + 1), isArray: true);
        }
        foreach (var (region, first, pages) in StartTouches)
        {
            if (pages < 1) throw check.Error($"TouchedAtStart({region}, {first}, {pages}): the page count must be at least 1");
            check.Page(region, first, "TouchedAtStart");
            check.Page(region, first + pages - 1, "TouchedAtStart");
        }
        foreach (var (program, _) in Threads) program.Check(check);
    }
}

/// <summary>The steps of one thread, naming strings and arrays of its process. Steps are produced lazily, as the thread reaches them.</summary>
public sealed partial class ProgramBuilder
{
    private const long SignalPollNs = 1_000;
    private readonly List<Func<PlacedImage, IEnumerable<TaskOp>>> _steps = new();
    private readonly List<Action<ProcessCheck>> _checks = new();
    private readonly List<Tracepoint> _syscalls = new();

    /// <summary>Read the named string or array (a user-mode access: faults as needed).</summary>
    public ProgramBuilder Read(string name) => Add(new ReadStep(name), img => img.Touch(name, AccessKind.Read), c => c.Name(name, $"Read(\"{name}\")"));

    /// <summary>Write the named string or array; Build() refuses a write to a read-only mapping (.text, .rodata, relro, libc's, the vDSO: the kernel would deliver SIGSEGV).</summary>
    public ProgramBuilder Write(string name) => Add(new WriteStep(name), img => img.Touch(name, AccessKind.Write), c => c.Writable(name, $"Write(\"{name}\")"));

    /// <summary>Read one byte at page <paramref name="page"/> of <paramref name="region"/>.</summary>
    public ProgramBuilder ReadPage(RegionKind region, int page) =>
        Add(new ReadPageStep(region, page), img => new TouchOp(img.Image.RegionOf(region).Addr(page), 1, AccessKind.Read), c => c.Page(region, page, "ReadPage"));

    /// <summary>fork(): the child runs <paramref name="child"/> on a copy of the address space.</summary>
    public ProgramBuilder Fork(Action<ProgramBuilder> child) => Spawn(SpawnKind.Fork, child);

    /// <summary>vfork(): the child runs <paramref name="child"/> on this address space; this thread waits until it execs or exits.</summary>
    public ProgramBuilder Vfork(Action<ProgramBuilder> child) => Spawn(SpawnKind.Vfork, child);

    /// <summary>execve(filename, argv): sys_enter_execve fires with these pointers.</summary>
    public ProgramBuilder Exec(string filename, string argvArray) =>
        Add(new ExecStep(filename, argvArray), img => new ExecOp(img.Execve(filename, argvArray)), c =>
        {
            c.String(filename, $"Exec(\"{filename}\", \"{argvArray}\")");
            c.Array(argvArray, $"Exec(\"{filename}\", \"{argvArray}\")");
        });

    /// <summary>write(fd, buffer, len): sys_enter_write fires and the probe reads the named buffer (its target is the name); the kernel reads it only when <paramref name="kernelReads"/> (not for /dev/null).</summary>
    public ProgramBuilder SysWrite(string buffer, bool kernelReads = false)
    {
        _syscalls.Add(Tracepoint.SysEnterWrite);
        return Add(new SysWriteStep(buffer, kernelReads), img =>
        {
            var p = img.Pointer(buffer);
            return new SyscallOp(Tracepoint.SysEnterWrite, new SyscallArgs([p], kernelReads ? [p] : []));
        }, c => c.Name(buffer, $"SysWrite(\"{buffer}\")"));
    }

    /// <summary>openat(AT_FDCWD, path, …): sys_enter_openat fires and the probe reads the named path (its target is the name); getname() copies it right after.</summary>
    public ProgramBuilder SysOpenat(string path)
    {
        _syscalls.Add(Tracepoint.SysEnterOpenat);
        return Add(new SysOpenatStep(path), img =>
        {
            var p = img.Pointer(path);
            return new SyscallOp(Tracepoint.SysEnterOpenat, new SyscallArgs([p], [p]));
        }, c => c.String(path, $"SysOpenat(\"{path}\")"));
    }

    /// <summary>wait4() for one child; with no child at all it returns -ECHILD at once.</summary>
    public ProgramBuilder WaitChild() => Add(new WaitChildStep(), _ => new WaitChildOp());

    /// <summary>Sleep for a virtual duration in nanoseconds (prefer <see cref="Sleep(SimDuration)"/>).</summary>
    public ProgramBuilder Sleep(long ns) => Add(new SleepStep(ns), _ => new SleepOp(ns), c => c.NotNegative(ns, "Sleep"));

    /// <summary>Sleep for a virtual duration (no CPU time).</summary>
    public ProgramBuilder Sleep(SimDuration duration) => Sleep(duration.Ns);

    /// <summary>Burn CPU for <paramref name="duration"/> of runtime: the thread runs when its CPU runs it, and its runtime drives NUMA scanning (task_numa_work) when balancing is on.</summary>
    public ProgramBuilder Compute(SimDuration duration) => Add(new ComputeStep(duration.Ns), _ => new ComputeOp(duration.Ns), c => c.NotNegative(duration.Ns, "Compute"));

    /// <summary>sched_setaffinity() to one CPU (index in machine order: node × cpus-per-node + cpu): later runs and faults happen there, and its node is where faults allocate.</summary>
    public ProgramBuilder RunOnCpu(int cpuIndex) => Add(new RunOnCpuStep(cpuIndex), _ => new MoveToCpuOp(cpuIndex), c => c.Cpu(cpuIndex));

    /// <summary>Take the mmap_lock (for write, like mmap/munmap/mprotect) and hold it for <paramref name="ns"/> nanoseconds (prefer the <see cref="SimDuration"/> overload).</summary>
    public ProgramBuilder HoldMmapLock(bool write, long ns) => Add(new HoldMmapLockStep(write, ns), _ => new HoldMmapLockOp(write, ns), c => c.NotNegative(ns, "HoldMmapLock"));

    /// <summary>Take the mmap_lock (for write, like mmap/munmap/mprotect) and hold it for <paramref name="hold"/>.</summary>
    public ProgramBuilder HoldMmapLock(bool write, SimDuration hold) => HoldMmapLock(write, hold.Ns);

    /// <summary>Evict the file page behind the named string (unless it is mapped), optionally leaving PG_readahead on it.</summary>
    public ProgramBuilder EvictPageOf(string name, bool readaheadMarker = false) =>
        Add(new EvictStep(name, readaheadMarker), img => new AdviseOp(img.Addr(name), readaheadMarker ? PageCacheAdvice.ReadaheadMarker : PageCacheAdvice.DontNeed),
            c => c.Name(name, $"EvictPageOf(\"{name}\")"));

    /// <summary>Sleep until the run ends.</summary>
    public ProgramBuilder BlockForever() => Add(new BlockForeverStep(), _ => new BlockForeverOp());

    /// <summary>Run the steps of <paramref name="body"/> <paramref name="times"/> times.</summary>
    public ProgramBuilder Repeat(int times, Action<ProgramBuilder> body)
    {
        var b = Nested(body);
        for (var i = 0; i < times; i++) Record(b.Recorded);
        return AddSteps(null, img => Enumerable.Range(0, times).SelectMany(_ => b.Build(img)), c =>
        {
            if (times < 0) throw c.Error($"Repeat({times}): the count must not be negative");
            b.Check(c);
        });
    }

    /// <summary>Raise <paramref name="signal"/> (scenario-wide: any thread of any process may wait for it) when this thread gets here.</summary>
    public ProgramBuilder Signal(string signal) => AddSteps(ScenarioSyntax.IsName(signal) ? new SignalStep(signal) : NoFileForm("Signal"), img => img.Signals.Raise(signal), c => c.Raises(signal));

    /// <summary>
    /// Wait until some thread has raised <paramref name="signal"/> (<see cref="Signal"/>). The model has no
    /// futex: the thread sleeps in 1 µs steps, so it resumes within 1 µs of the signal.
    /// </summary>
    public ProgramBuilder WaitFor(string signal) => AddSteps(ScenarioSyntax.IsName(signal) ? new WaitForStep(signal) : NoFileForm("WaitFor"), img => img.Signals.WaitFor(signal, SignalPollNs), c => c.Awaits(signal));

    private ProgramBuilder Spawn(SpawnKind kind, Action<ProgramBuilder> child)
    {
        var c = Nested(child);
        return Add(new SpawnStep(kind, c.Recorded), img => new SpawnOp(kind, () => c.Build(img)), c.Check);
    }

    private ProgramBuilder Nested(Action<ProgramBuilder> program)
    {
        var b = new ProgramBuilder();
        program(b);
        _syscalls.AddRange(b._syscalls);
        InheritNoFileForm(b);
        return b;
    }

    private ProgramBuilder Add(ScenarioStep? recorded, Func<PlacedImage, TaskOp> step, Action<ProcessCheck>? check = null) =>
        AddSteps(recorded, img => [step(img)], check);

    // recorded: the step as scenario-file data (null when the call has none, or records itself, like Repeat).
    private ProgramBuilder AddSteps(ScenarioStep? recorded, Func<PlacedImage, IEnumerable<TaskOp>> steps, Action<ProcessCheck>? check)
    {
        Record(recorded);
        _steps.Add(steps);
        if (check is not null) _checks.Add(check);
        return this;
    }

    internal IEnumerable<Tracepoint> SyscallPoints => _syscalls;

    internal void Check(ProcessCheck check)
    {
        foreach (var c in _checks) c(check);
    }

    internal IEnumerable<TaskOp> Build(PlacedImage image) => _steps.SelectMany(s => s(image));
}

/// <summary>A process image with its named placements resolved to addresses.</summary>
public sealed class PlacedImage
{
    private readonly Dictionary<string, UserString> _named = new(StringComparer.Ordinal);

    internal PlacedImage(ProcessImage image, ScenarioSignals signals)
    {
        Image = image;
        Signals = signals;
    }

    public ProcessImage Image { get; }

    internal ScenarioSignals Signals { get; }

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

    internal SyscallPointer Pointer(string name)
    {
        var s = Get(name);
        return new SyscallPointer(name, s.Addr, s.LengthBytes);
    }

    internal ExecveArgs Execve(string filename, string argvArray)
    {
        var array = Image.PlacementAt(Addr(argvArray));
        var argv = (array.Pointers ?? throw new ArgumentException($"'{argvArray}' is a string, not a pointer array"))
            .Select(p => new UserString(p, Image.PlacementAt(p).LengthBytes)).ToArray();
        return new ExecveArgs(Get(filename), array.Addr, argv);
    }
}

/// <summary>The signals of one scenario run (<see cref="ProgramBuilder.Signal"/>): raised or not, by name.</summary>
internal sealed class ScenarioSignals
{
    // Membership only, never iterated.
    private readonly HashSet<string> _raised = new(StringComparer.Ordinal);

    // Iterators, so that the signal is raised, and looked at, when the thread reaches the step, not when its program is built.
    public IEnumerable<TaskOp> Raise(string signal)
    {
        _raised.Add(signal);
        yield break;
    }

    public IEnumerable<TaskOp> WaitFor(string signal, long pollNs)
    {
        while (!_raised.Contains(signal)) yield return new SleepOp(pollNs);
    }
}
