using ActorKernel.Actors.Machine;
using ActorKernel.Actors.Memory;
using ActorKernel.Actors.Tasks;
using ActorKernel.Model;

namespace ActorKernel.TestKit;

/// <summary>
/// Scenario steps for the mechanisms behind today's user reports (kernel-model.md §1.5-§1.8): the
/// machine's architecture, glibc's system()/popen(), and aging a PTE by hand. A process that places
/// strings in <see cref="RegionKind.LibRodata"/> links a helper library with its own VMAs.
/// </summary>
public static class UserReportsSteps
{
    /// <summary>machine.arch ("x86-64", "arm64", "s390x") and machine.hw-pte-young ("on", "off", "default").</summary>
    public static ScenarioBuilder Architecture(this ScenarioBuilder scenario, string arch, string hwPteYoung = "default") =>
        scenario.Set("machine.arch", arch).Set("machine.hw-pte-young", hwPteYoung);

    /// <summary>
    /// image.libc-load-offset-pages: libc <paramref name="pages"/> pages above its base in every process (0 to 511), instead of
    /// a place drawn per process from the seed (ASLR, the default). It decides which of libc's .rodata pages share a
    /// fault-around window, so whether glibc 2.29+'s system()/popen() finds its literals mapped on the first call.
    /// </summary>
    public static ScenarioBuilder LibcLoadOffset(this ScenarioBuilder scenario, int pages) =>
        scenario.Set("image.libc-load-offset-pages", pages.ToString(global::System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Name of the shell literals and argv array <see cref="ShellCommand"/> places for <paramref name="command"/>.</summary>
    private static (string Shell, string Name, string Option, string Argv) ShellNames(string command) =>
        ($"{command}:{GlibcSystem.ShellPath}", $"{command}:{GlibcSystem.ShellName}", $"{command}:{GlibcSystem.ShellOption}", $"{command}:argv");

    /// <summary>
    /// Places what glibc's system(cmd) / popen(cmd) pass to execve (GlibcSystem): "/bin/sh", "sh" and "-c" in
    /// libc's .rodata on <paramref name="libcRodataPage"/>, the command text (called <paramref name="command"/>)
    /// on <paramref name="heapPage"/> of the heap, and the argv array on <paramref name="stackPage"/> of the stack.
    /// </summary>
    public static ProcessBuilder ShellCommand(this ProcessBuilder process, string command, string text,
        int libcRodataPage = 5, int heapPage = 16, int stackPage = 29)
    {
        var n = ShellNames(command);
        return process
            .String(n.Shell, RegionKind.LibcRodata, libcRodataPage, GlibcSystem.ShellPath)
            .String(n.Name, RegionKind.LibcRodata, libcRodataPage, GlibcSystem.ShellName)
            .String(n.Option, RegionKind.LibcRodata, libcRodataPage, GlibcSystem.ShellOption)
            .String(command, RegionKind.Heap, heapPage, text)
            .PointerArray(n.Argv, RegionKind.Stack, stackPage, n.Name, n.Option, command);
    }

    /// <summary>
    /// system(cmd) with glibc <paramref name="libcVersion"/> ("2.28", "2.36"): a child created as that glibc does
    /// (fork before 2.29, posix_spawn's CLONE_VM | CLONE_VFORK since) execs the shell with the literals and the
    /// command placed by <see cref="ShellCommand"/>; then wait4(). From 2.29, posix_spawn() first has the kernel read
    /// sigall_set, <paramref name="sigallSetDistancePages"/> pages after the literals' page (GlibcPosixSpawn; 10 in
    /// Debian's 2.36). Such a scenario has no scenario-file form (the format has no kernel read).
    /// </summary>
    public static ProgramBuilder System(this ProgramBuilder program, string command, string libcVersion,
        int sigallSetDistancePages = GlibcPosixSpawn.DebianSigallSetDistancePages) =>
        Shell(program, command, libcVersion, sigallSetDistancePages);

    /// <summary>
    /// popen(cmd, "r") with glibc <paramref name="libcVersion"/>: spawned as system() is; then pclose()'s wait. From 2.29 it
    /// also reads two jump tables of libc's .rodata, <paramref name="modeTableDistancePages"/> from the literals' page before
    /// it spawns and <paramref name="fileActionsTableDistancePages"/> in the child before its exec (-4 and -3 in Debian's 2.36).
    /// </summary>
    public static ProgramBuilder Popen(this ProgramBuilder program, string command, string libcVersion,
        int sigallSetDistancePages = GlibcPosixSpawn.DebianSigallSetDistancePages,
        int modeTableDistancePages = GlibcPosixSpawn.DebianPopenModeTableDistancePages,
        int fileActionsTableDistancePages = GlibcPosixSpawn.DebianFileActionsTableDistancePages) =>
        Shell(program, command, libcVersion, sigallSetDistancePages, (modeTableDistancePages, fileActionsTableDistancePages));

    private static ProgramBuilder Shell(ProgramBuilder program, string command, string libcVersion, int sigallSetDistancePages,
        (int ModeTable, int FileActionsTable)? popenTables = null)
    {
        if (!GlibcVersion.TryParse(libcVersion, out var libc)) throw new ArgumentException($"not a glibc version (major.minor): {libcVersion}", nameof(libcVersion));
        var n = ShellNames(command);
        // The program writes the command (snprintf into a heap buffer) and glibc its argv array; the child only execs.
        program.Write(command).Write(n.Argv);
        if (GlibcSystem.SpawnKindOf(libc) == SpawnKind.Fork) return program.Fork(c => c.Exec(n.Shell, n.Argv)).WaitChild();
        if (popenTables is { } t) program.ReadLibcRodataNear(n.Shell, t.ModeTable);
        return program.SpawnixBlocksAllSignals(n.Shell, sigallSetDistancePages)
            .Vfork(c => (popenTables is { } t ? c.ReadLibcRodataNear(n.Shell, t.FileActionsTable) : c).Exec(n.Shell, n.Argv))
            .WaitChild();
    }

    /// <summary>
    /// Makes the PTE of the page holding <paramref name="addr"/> in address space <paramref name="mmId"/> old, as
    /// reclaim's aging does (AddressSpace.MakePteOld); returns whether it was young. The run stays paused.
    /// </summary>
    public static bool MakePteOld(this Scenario scenario, int mmId, ulong addr)
    {
        bool? wasYoung = null;
        scenario.Send(scenario.Machine, new ToMm(mmId, new MakePteOld(addr, young => wasYoung = young)));
        return wasYoung ?? throw scenario.Fail($"address space {mmId} does not exist at {scenario.NowNs} ns (exited, or not created yet)");
    }
}

public sealed partial class ProgramBuilder
{
    /// <summary>
    /// glibc's __spawnix() blocking every signal before its clone (GlibcPosixSpawn): the kernel copy_from_user()s
    /// sigall_set, on the libc .rodata page <paramref name="distancePages"/> after the one holding <paramref name="shellLiteral"/>.
    /// </summary>
    internal ProgramBuilder SpawnixBlocksAllSignals(string shellLiteral, int distancePages) =>
        Add(NoFileForm("System/Popen with glibc 2.29 or later"),
            img => new KernelReadOp(PageNear(img, shellLiteral, distancePages) + GlibcPosixSpawn.SigallSetPageOffset, GlibcPosixSpawn.SigsetBytes),
            c => CheckLibcLiteral(c, shellLiteral));

    /// <summary>A user-mode read of the libc .rodata page <paramref name="distancePages"/> from the one holding <paramref name="shellLiteral"/> (a jump table popen() reads).</summary>
    internal ProgramBuilder ReadLibcRodataNear(string shellLiteral, int distancePages) =>
        Add(NoFileForm("Popen with glibc 2.29 or later"),
            img => new TouchOp(PageNear(img, shellLiteral, distancePages), 4, AccessKind.Read),
            c => CheckLibcLiteral(c, shellLiteral));

    private static ulong PageNear(PlacedImage img, string name, int distancePages) =>
        (ulong)((long)(img.Addr(name) & ~((ulong)Pages.Size - 1)) + (long)distancePages * Pages.Size);

    private static void CheckLibcLiteral(ProcessCheck c, string shellLiteral)
    {
        c.String(shellLiteral, "System/Popen");
        if (c.Name(shellLiteral, "System/Popen").Region != RegionKind.LibcRodata)
            throw c.Error($"System/Popen: '{shellLiteral}' is not in libc's .rodata, where glibc's own reads are placed from (ShellCommand puts it there)");
    }
}
