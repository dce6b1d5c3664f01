using ActorKernel.Actors.Engine;
using ActorKernel.Model;

namespace ActorKernel.Actors.Configuration;

/// <summary>The <c>actor-kernel</c> block, bound and validated (reference.conf documents every key).</summary>
public sealed record ActorKernelSettings
{
    public required KernelSettings Kernel { get; init; }
    public required EngineSettings Engine { get; init; }
    public required MachineSettings Machine { get; init; }
    public required MmSettings Mm { get; init; }
    public required CostsSettings Costs { get; init; }
    public required ProbeSettings Probe { get; init; }
    public required ImageLayout Image { get; init; }
    public required WorkloadSettings Workload { get; init; }
    public required SchedSettings Sched { get; init; }
    public required NumaBalancingSettings NumaBalancing { get; init; }
    public required NumaCostsSettings NumaCosts { get; init; }
    public required MetricsSettings Metrics { get; init; }
}

/// <summary><c>actor-kernel.kernel</c>: the selected profile and its (possibly overridden) switches.</summary>
public sealed record KernelSettings
{
    public required string ProfileName { get; init; }
    public required KernelProfile Profile { get; init; }
}

/// <summary><c>actor-kernel.engine</c>.</summary>
public sealed record EngineSettings
{
    public required Interleaving Interleaving { get; init; }

    /// <summary>A run that delivers more events than this fails (guards against livelock).</summary>
    public required long MaxEvents { get; init; }
}

/// <summary><c>actor-kernel.machine</c>.</summary>
public sealed record MachineSettings
{
    public required int NumaNodes { get; init; }
    public required int CpusPerNode { get; init; }
}

/// <summary><c>actor-kernel.mm</c>.</summary>
public sealed record MmSettings
{
    /// <summary>mm/memory.c fault_around_bytes (debugfs); 4096 turns fault-around off.</summary>
    public required int FaultAroundBytes { get; init; }

    /// <summary>kernel/locking/rwsem.c RWSEM_WAIT_TIMEOUT: how long a waiter waits before asking for hand-off.</summary>
    public required long RwsemHandoffWaitNs { get; init; }
}

/// <summary><c>actor-kernel.costs</c>: virtual nanoseconds per operation (kernel-model.md §7).</summary>
public sealed record CostsSettings
{
    public required long SyscallEntryNs { get; init; }
    public required long PteWalkNs { get; init; }
    public required long ProbeReadNs { get; init; }
    public required long ProbeFixupNs { get; init; }
    public required long MinorFaultNs { get; init; }
    public required long FaultAroundPageNs { get; init; }
    public required long AnonFaultNs { get; init; }
    public required long MajorFaultNs { get; init; }
    public required long ForkBaseNs { get; init; }
    public required long ForkPerVmaNs { get; init; }
    public required long ForkPerPteNs { get; init; }
    public required long ExecNs { get; init; }
    public required long ChildExitNs { get; init; }
    public required long CopyFromUserNs { get; init; }
    public required long MmapLockOpNs { get; init; }
}

/// <summary><c>actor-kernel.probe</c>.</summary>
public sealed record ProbeSettings
{
    /// <summary>The tracepoint the probe is attached to; sys_enter_execve for now.</summary>
    public required string Attach { get; init; }

    /// <summary>How many argv strings the probe reads.</summary>
    public required int MaxArgv { get; init; }

    /// <summary>Whether a trylock policy may resolve an anonymous first touch (zero page or allocation) in place; off → needs-alloc.</summary>
    public bool AllowAlloc { get; init; }
}

/// <summary><c>actor-kernel.workload</c>.</summary>
public sealed record WorkloadSettings
{
    public required ForkExecSettings ForkExec { get; init; }
    public required NumaIdleSettings NumaIdle { get; init; }

    /// <summary><c>actor-kernel.workload.mmap-churn</c>: threads that take the mmap lock for write.</summary>
    public MmapChurnSettings MmapChurn { get; init; } = MmapChurnSettings.Off;
}

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
    public StringsPlacement StringsPlacement { get; init; }
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
}

/// <summary>Where the filename and argv strings live.</summary>
public enum StringsRegion { Rodata, Stack, Heap, Data }

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
