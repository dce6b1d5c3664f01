namespace ActorKernel.Actors.Configuration;

/// <summary>
/// <c>actor-kernel.workload.memory-pressure</c>: a long-running process with a hot working set, idle
/// file-backed data and an idle anonymous buffer, probed periodically, next to a memory hog that
/// ramps up, or inside a memory cgroup with a limit (docs/memory-pressure.md).
/// </summary>
public sealed record MemoryPressureSettings
{
    public required bool Enabled { get; init; }
    public required int DurationS { get; init; }
    public required int HotPages { get; init; }
    public required int IdleFilePages { get; init; }
    public required int IdleAnonPages { get; init; }

    /// <summary>Anonymous memory the hog process allocates, in MiB (0: no hog).</summary>
    public required long HogMb { get; init; }

    /// <summary>Seconds over which the hog allocates it, evenly.</summary>
    public required int HogRampS { get; init; }

    /// <summary>memory.max of the cgroup the traced process runs in, in MiB (0: the root cgroup, no limit).</summary>
    public required long CgroupLimitMb { get; init; }

    public required long ProbeIntervalMs { get; init; }
}
