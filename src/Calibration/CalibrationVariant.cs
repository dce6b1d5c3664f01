using System.Globalization;

namespace ActorKernel.Calibration;

/// <summary>
/// One fork-exec variant measured on the real kernel (calibration/fork_exec.c) and run in the model
/// (workload.fork-exec.* keys). The values are the model's own key values, so one record drives both.
/// StringsPageCache (warm, cold, readahead-marker) applies to .rodata strings only, as in the model.
/// StringsPlacement (fixed, fresh-window-per-exec) too; the reproducer supports fresh-window-per-exec
/// with child-touches none, argv-array stack and a warm cache only.
/// </summary>
public sealed record CalibrationVariant(string Spawn, string Strings, string ChildTouches, bool ParentTouches, string ArgvArray, string StringsPageCache = "warm",
    string StringsPlacement = "fixed")
{
    /// <summary>
    /// The reproducer's fresh windows (calibration/fork_exec.c FRESH_WINDOWS). The model gets
    /// image.rodata-pages = <see cref="ModelFreshFirstPage"/> + 16 × this, so both sides wrap around after the same number of execs.
    /// </summary>
    public const int FreshWindows = 32;

    /// <summary>
    /// The first fresh window of the model's default image (RodataPlaces.FreshFirstPage): its page-aligned .rodata
    /// starts 4 pages into a 16-page window (after 256 text pages from 0x5555_5555_4000), so the first window at or
    /// after page 32 starts at page 44.
    /// </summary>
    public const int ModelFreshFirstPage = 44;

    /// <summary>spawn/strings/child-touches, plus the parent-touches, argv-array, strings-page-cache and strings-placement settings when not the defaults.</summary>
    public string Name => $"{Spawn}/{Strings}/{ChildTouches}" + (ParentTouches ? "" : " parent-touches=off") + (ArgvArray == "stack" ? "" : $" argv-array={ArgvArray}")
        + (StringsPageCache == "warm" ? "" : $" cache={StringsPageCache}")
        + (StringsPlacement == "fixed" ? "" : $" strings-placement={StringsPlacement}");

    /// <summary>The reproducer's arguments: SPAWN STRINGS CHILD_TOUCHES PARENT_TOUCHES ARGV_ARRAY CACHE TRIALS [PLACEMENT] (only when not fixed).</summary>
    public IReadOnlyList<string> ReproducerArguments(int trials) =>
        StringsPlacement == "fixed"
            ? [Spawn, Strings, ChildTouches, ParentTouches ? "on" : "off", ArgvArray, StringsPageCache, trials.ToString(CultureInfo.InvariantCulture)]
            : [Spawn, Strings, ChildTouches, ParentTouches ? "on" : "off", ArgvArray, StringsPageCache, trials.ToString(CultureInfo.InvariantCulture), StringsPlacement];

    /// <summary>The model's --set overrides for this variant with <paramref name="execs"/> cycles.</summary>
    public IReadOnlyList<string> ModelOverrides(int execs) =>
    [
        $"workload.fork-exec.spawn={Spawn}",
        $"workload.fork-exec.strings={Strings}",
        $"workload.fork-exec.child-touches={ChildTouches}",
        $"workload.fork-exec.parent-touches-strings={(ParentTouches ? "on" : "off")}",
        $"workload.fork-exec.argv-array={ArgvArray}",
        $"workload.fork-exec.strings-page-cache={StringsPageCache}",
        $"workload.fork-exec.strings-placement={StringsPlacement}",
        $"workload.fork-exec.execs={execs.ToString(CultureInfo.InvariantCulture)}",
        .. StringsPlacement == "fixed" ? [] : new[] { $"image.rodata-pages={(ModelFreshFirstPage + 16 * FreshWindows).ToString(CultureInfo.InvariantCulture)}" },
    ];
}

/// <summary>The fixed variant lists of each calibration case.</summary>
public static class CalibrationCases
{
    public const string ForkExec = "fork-exec";

    public const string NumaIdle = "numa-idle";

    public const string MemoryPressure = "memory-pressure";

    /// <summary>The mechanisms behind today's field reports that x86-64 can show (FieldReportVariant).</summary>
    public const string FieldReports = "field-reports";

    /// <summary>Every case `actorkernel calibrate --cases` accepts.</summary>
    public static readonly IReadOnlyList<string> All = [ForkExec, NumaIdle, MemoryPressure, FieldReports];

    /// <summary>
    /// kernel-model.md §1 and §8: fork loses .rodata PTEs; a child touch in the fault-around window
    /// repairs them, unless the strings page is not cached (cold) or carries PG_readahead, which
    /// fault-around skips; vfork/posix_spawn share the parent's page table, so only an exec whose
    /// strings page the process never touched fails; a page the parent maps cannot be evicted.
    /// </summary>
    public static readonly IReadOnlyList<CalibrationVariant> ForkExecVariants =
    [
        new("fork", "rodata", "none", true, "stack"),
        new("fork", "rodata", "strings-page", true, "stack"),
        new("fork", "rodata", "window-neighbour", true, "stack"),
        new("fork", "rodata", "far-page", true, "stack"),
        new("fork", "stack", "none", true, "stack"),
        new("fork", "heap", "none", true, "stack"),
        new("fork", "data", "none", true, "stack"),
        new("fork", "rodata", "none", true, "relro"),
        new("vfork", "rodata", "none", true, "stack"),
        new("posix-spawn", "rodata", "none", true, "stack"),
        // The parent never reads the strings: nothing changes for fork; vfork/posix_spawn fail once.
        new("fork", "rodata", "none", false, "stack"),
        new("fork", "rodata", "window-neighbour", false, "stack"),
        new("vfork", "rodata", "none", false, "stack"),
        new("posix-spawn", "rodata", "none", false, "stack"),
        // Cold: the parent's own PTE keeps the page cached (it cannot be evicted) ...
        new("fork", "rodata", "none", true, "stack", "cold"),
        new("fork", "rodata", "window-neighbour", true, "stack", "cold"),
        // ... unless the parent never maps it: then fault-around finds nothing cached to map.
        new("fork", "rodata", "none", false, "stack", "cold"),
        new("fork", "rodata", "strings-page", false, "stack", "cold"),
        new("fork", "rodata", "window-neighbour", false, "stack", "cold"),
        new("vfork", "rodata", "none", false, "stack", "cold"),
        // PG_readahead: fault-around skips the page; a fault on the page itself clears the marker.
        new("fork", "rodata", "window-neighbour", true, "stack", "readahead-marker"),
        new("fork", "rodata", "none", false, "stack", "readahead-marker"),
        new("fork", "rodata", "strings-page", false, "stack", "readahead-marker"),
        new("fork", "rodata", "window-neighbour", false, "stack", "readahead-marker"),
        // Each exec's strings in a 16-page window of .rodata nothing has touched (cached): fork fails as
        // always, and now vfork/posix_spawn on the parent's own page table fail on every exec too,
        // unless the parent reads the strings itself first (the vfork control with parent-touches on).
        new("fork", "rodata", "none", false, "stack", "warm", "fresh-window-per-exec"),
        new("vfork", "rodata", "none", true, "stack", "warm", "fresh-window-per-exec"),
        new("vfork", "rodata", "none", false, "stack", "warm", "fresh-window-per-exec"),
        new("posix-spawn", "rodata", "none", false, "stack", "warm", "fresh-window-per-exec"),
    ];

    public static IReadOnlyList<CalibrationVariant> VariantsOf(string @case) => @case switch
    {
        ForkExec => ForkExecVariants,
        _ => throw new ArgumentException($"unknown calibration case '{@case}'", nameof(@case)),
    };
}
