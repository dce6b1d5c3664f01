using ActorKernel.Model;

namespace ActorKernel.Actors.Configuration;

/// <summary><c>actor-kernel.workload.fork-exec</c>: a parent that forks (or vforks, or posix_spawns) and execs, over and over.</summary>
public sealed record ForkExecSettings
{
    public required bool Enabled { get; init; }
    public required int Execs { get; init; }
    public required SpawnMethod Spawn { get; init; }
    public required StringsRegion Strings { get; init; }
    public required ArgvArrayRegion ArgvArray { get; init; }
    public required int Argc { get; init; }
    public required bool ParentTouchesStrings { get; init; }
    public required ChildTouches ChildTouches { get; init; }
    public required StringsPageCache StringsPageCache { get; init; }
    public required int ParentThreads { get; init; }
    public required long CycleIntervalUs { get; init; }

    /// <summary>Where each cycle's strings sit in .rodata: the same page every time, or a window the process never touched.</summary>
    public required StringsPlacement StringsPlacement { get; init; }

    /// <summary>The glibc whose system()/popen() the parent calls (spawn = system | popen): fork before 2.29, posix_spawn since.</summary>
    public required GlibcVersion LibcVersion { get; init; }

    /// <summary>How the child is created: system()/popen() by <see cref="LibcVersion"/>, otherwise as <see cref="Spawn"/> names it.</summary>
    public SpawnKind SpawnKind => Spawn switch
    {
        SpawnMethod.Fork => SpawnKind.Fork,
        SpawnMethod.System or SpawnMethod.Popen => GlibcSystem.SpawnKindOf(LibcVersion),
        _ => SpawnKind.Vfork,
    };

    /// <summary>system() or popen(): the child execs /bin/sh -c with libc's literals and the command on the heap.</summary>
    public bool ViaShell => Spawn is SpawnMethod.System or SpawnMethod.Popen;

    /// <summary>
    /// Whether the parent spawns through glibc's posix_spawn(): spawn = posix-spawn, or system()/popen() from
    /// 2.29. Its __spawnix() makes the kernel read libc's sigall_set before the clone (GlibcPosixSpawn).
    /// </summary>
    public bool SpawnsWithPosixSpawn => Spawn == SpawnMethod.PosixSpawn || (ViaShell && SpawnKind == SpawnKind.Vfork);
}

/// <summary>How the parent creates the child that execs.</summary>
public enum SpawnMethod
{
    /// <summary>fork(): the child gets a copy of the mm (dup_mmap), without PTEs for untouched file VMAs.</summary>
    Fork,
    /// <summary>vfork(): the child borrows the parent's mm until it execs.</summary>
    Vfork,
    /// <summary>posix_spawn(): glibc uses clone(CLONE_VM | CLONE_VFORK), so like vfork.</summary>
    PosixSpawn,
    /// <summary>glibc system(cmd): execs /bin/sh "sh" "-c" cmd; forks before glibc 2.29, posix_spawn()s since (libc-version).</summary>
    System,
    /// <summary>glibc popen(cmd, "r"): the same shell, spawned the same way as system() for the same glibc.</summary>
    Popen,
}

/// <summary>Where the filename and argv strings live.</summary>
public enum StringsRegion
{
    /// <summary>String literals in the program's .rodata.</summary>
    Rodata,
    /// <summary>String literals in a shared library's .rodata (a helper launcher in a .so): its own VMA and fault-around windows.</summary>
    LibRodata,
    Stack,
    Heap,
    Data,
}

/// <summary>Where the argv pointer array lives.</summary>
public enum ArgvArrayRegion { Stack, Relro, Rodata }

/// <summary>What the child touches between fork and execve (pages it touches get PTEs).</summary>
public enum ChildTouches
{
    None,
    /// <summary>The page holding the strings.</summary>
    StringsPage,
    /// <summary>A page in the strings page's fault-around window, not the strings page itself.</summary>
    WindowNeighbour,
    /// <summary>A page outside the fault-around window.</summary>
    FarPage,
}

/// <summary>Page-cache state of the strings page re-established before each cycle.</summary>
public enum StringsPageCache
{
    /// <summary>Cached: a minor fault.</summary>
    Warm,
    /// <summary>Evicted: a major fault.</summary>
    Cold,
    /// <summary>Cached with PG_readahead set: the fault starts async readahead.</summary>
    ReadaheadMarker,
}

/// <summary>Where each exec's strings sit in .rodata.</summary>
public enum StringsPlacement
{
    /// <summary>The same page for every exec (page 5 of .rodata).</summary>
    Fixed,
    /// <summary>A new fault-around window (mm.fault-around-bytes) of .rodata per exec (from page 32 on), like a launcher running
    /// many different commands whose literals lie in parts of its binary it has not touched yet.</summary>
    FreshWindowPerExec,
}
