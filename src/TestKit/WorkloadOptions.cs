using System.Globalization;
using ActorKernel.Actors.Configuration;
using ActorKernel.Configuration;
using ActorKernel.Model;

namespace ActorKernel.TestKit;

/// <summary>The kernel profiles the model ships (config/kernels/*.conf), for <see cref="ScenarioBuilder.Kernel(KernelVersion)"/>.</summary>
public enum KernelVersion
{
    /// <summary>Linux 4.14 (no per-VMA locks, no sleepable fentry on this profile).</summary>
    Linux4_14,
    /// <summary>Linux 6.8 (Ubuntu 24.04).</summary>
    Linux6_8,
    /// <summary>Linux 6.18 (the default profile).</summary>
    Linux6_18,
}

/// <summary>The profile names of <see cref="KernelVersion"/>.</summary>
public static class KernelVersions
{
    /// <summary>The profile name ("6.8") of <paramref name="version"/>.</summary>
    public static string ProfileName(this KernelVersion version) =>
        version.ToString()["Linux".Length..].Replace('_', '.');
}

/// <summary>
/// The built-in fork-exec workload's keys (workload.fork-exec, docs/configuration.md), typed; a null
/// property keeps the configured value.
/// </summary>
public sealed record ForkExecOptions
{
    /// <summary>How the parent creates the child: fork, vfork or posix_spawn.</summary>
    public SpawnMethod? Spawn { get; init; }

    /// <summary>How many fork+exec cycles the parent runs.</summary>
    public int? Execs { get; init; }

    /// <summary>Where the filename and argv strings live.</summary>
    public StringsRegion? Strings { get; init; }

    /// <summary>Where the argv pointer array lives.</summary>
    public ArgvArrayRegion? ArgvArray { get; init; }

    public int? Argc { get; init; }

    /// <summary>The parent read the strings before forking.</summary>
    public bool? ParentTouchesStrings { get; init; }

    /// <summary>What the child touches between fork and execve.</summary>
    public ChildTouches? ChildTouches { get; init; }

    public StringsPageCache? StringsPageCache { get; init; }

    public StringsPlacement? StringsPlacement { get; init; }

    public int? ParentThreads { get; init; }

    /// <summary>Time between cycles (a whole number of microseconds).</summary>
    public SimDuration? CycleInterval { get; init; }

    internal IEnumerable<(string Key, string Value)> Keys()
    {
        const string at = "workload.fork-exec.";
        if (Spawn is { } spawn) yield return (at + "spawn", SettingKinds.NameOf(spawn));
        if (Execs is { } execs) yield return (at + "execs", Num(execs));
        if (Strings is { } strings) yield return (at + "strings", SettingKinds.NameOf(strings));
        if (ArgvArray is { } argv) yield return (at + "argv-array", SettingKinds.NameOf(argv));
        if (Argc is { } argc) yield return (at + "argc", Num(argc));
        if (ParentTouchesStrings is { } touches) yield return (at + "parent-touches-strings", Flag(touches));
        if (ChildTouches is { } child) yield return (at + "child-touches", SettingKinds.NameOf(child));
        if (StringsPageCache is { } cache) yield return (at + "strings-page-cache", SettingKinds.NameOf(cache));
        if (StringsPlacement is { } placement) yield return (at + "strings-placement", SettingKinds.NameOf(placement));
        if (ParentThreads is { } threads) yield return (at + "parent-threads", Num(threads));
        if (CycleInterval is { } interval) yield return (at + "cycle-interval-us", Num(interval.Whole(SimTime.NsPerUs, "µs", "ForkExecOptions.CycleInterval")));
    }

    internal static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);

    internal static string Flag(bool on) => on ? "on" : "off";
}

/// <summary>The built-in numa-idle workload's keys (workload.numa-idle), typed; a null property keeps the configured value.</summary>
public sealed record NumaIdleOptions
{
    public int? Threads { get; init; }

    /// <summary>How many of the threads compute; the rest sleep.</summary>
    public int? BusyThreads { get; init; }

    /// <summary>How long the process runs (whole seconds).</summary>
    public SimDuration? Duration { get; init; }

    public int? HotPages { get; init; }

    public int? IdleBufferPages { get; init; }

    public int? KernelTouchedPages { get; init; }

    /// <summary>Time between probed syscalls (whole milliseconds).</summary>
    public SimDuration? ProbeInterval { get; init; }

    /// <summary>CPU burst of a busy thread between its touches (whole milliseconds).</summary>
    public SimDuration? BusyBurst { get; init; }

    /// <summary>A busy thread moves to the next node this often (whole milliseconds; zero: never).</summary>
    public SimDuration? BusyMigrateInterval { get; init; }

    public bool? ReadIdleBuffer { get; init; }

    public bool? ReadArgStart { get; init; }

    public bool? ReadKernelTouchedBuffer { get; init; }

    internal IEnumerable<(string Key, string Value)> Keys()
    {
        const string at = "workload.numa-idle.";
        if (Threads is { } threads) yield return (at + "threads", ForkExecOptions.Num(threads));
        if (BusyThreads is { } busy) yield return (at + "busy-threads", ForkExecOptions.Num(busy));
        if (Duration is { } d) yield return (at + "duration-s", ForkExecOptions.Num(d.Whole(SimTime.NsPerS, "s", "NumaIdleOptions.Duration")));
        if (HotPages is { } hot) yield return (at + "hot-pages", ForkExecOptions.Num(hot));
        if (IdleBufferPages is { } idle) yield return (at + "idle-buffer-pages", ForkExecOptions.Num(idle));
        if (KernelTouchedPages is { } kernel) yield return (at + "kernel-touched-pages", ForkExecOptions.Num(kernel));
        if (ProbeInterval is { } probe) yield return (at + "probe-interval-ms", ForkExecOptions.Num(probe.Whole(SimTime.NsPerMs, "ms", "NumaIdleOptions.ProbeInterval")));
        if (BusyBurst is { } burst) yield return (at + "busy-burst-ms", ForkExecOptions.Num(burst.Whole(SimTime.NsPerMs, "ms", "NumaIdleOptions.BusyBurst")));
        if (BusyMigrateInterval is { } m) yield return (at + "busy-migrate-interval-ms", ForkExecOptions.Num(m.Whole(SimTime.NsPerMs, "ms", "NumaIdleOptions.BusyMigrateInterval")));
        if (ReadIdleBuffer is { } r1) yield return (at + "reads.idle-buffer", ForkExecOptions.Flag(r1));
        if (ReadArgStart is { } r2) yield return (at + "reads.arg-start", ForkExecOptions.Flag(r2));
        if (ReadKernelTouchedBuffer is { } r3) yield return (at + "reads.kernel-touched-buffer", ForkExecOptions.Flag(r3));
    }
}

/// <summary>The built-in mmap-churn workload's keys (workload.mmap-churn), typed; a null property keeps the configured value.</summary>
public sealed record MmapChurnOptions
{
    /// <summary>Which process the churn threads live in.</summary>
    public ChurnProcess? Process { get; init; }

    public int? Threads { get; init; }

    /// <summary>Operations per second of virtual time over all churn threads.</summary>
    public long? OpsPerSecond { get; init; }

    internal IEnumerable<(string Key, string Value)> Keys()
    {
        const string at = "workload.mmap-churn.";
        if (Process is { } p) yield return (at + "process", SettingKinds.NameOf(p));
        if (Threads is { } t) yield return (at + "threads", ForkExecOptions.Num(t));
        if (OpsPerSecond is { } ops) yield return (at + "ops-per-s", ForkExecOptions.Num(ops));
    }
}
