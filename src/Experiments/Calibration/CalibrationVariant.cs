using System.Globalization;

namespace ActorKernel.Experiments.Calibration;

/// <summary>
/// One fork-exec variant measured on the real kernel (calibration/fork_exec.c) and run in the model
/// (workload.fork-exec.* keys). The values are the model's own key values, so one record drives both.
/// </summary>
public sealed record CalibrationVariant(string Spawn, string Strings, string ChildTouches, bool ParentTouches, string ArgvArray)
{
    /// <summary>spawn/strings/child-touches, plus the parent-touches and argv-array settings when not the defaults.</summary>
    public string Name => $"{Spawn}/{Strings}/{ChildTouches}" + (ParentTouches ? "" : " parent-touches=off") + (ArgvArray == "stack" ? "" : $" argv-array={ArgvArray}");

    /// <summary>The reproducer's arguments: SPAWN STRINGS CHILD_TOUCHES PARENT_TOUCHES ARGV_ARRAY TRIALS.</summary>
    public IReadOnlyList<string> ReproducerArguments(int trials) =>
        [Spawn, Strings, ChildTouches, ParentTouches ? "on" : "off", ArgvArray, trials.ToString(CultureInfo.InvariantCulture)];

    /// <summary>The model's --set overrides for this variant with <paramref name="execs"/> cycles.</summary>
    public IReadOnlyList<string> ModelOverrides(int execs) =>
    [
        $"workload.fork-exec.spawn={Spawn}",
        $"workload.fork-exec.strings={Strings}",
        $"workload.fork-exec.child-touches={ChildTouches}",
        $"workload.fork-exec.parent-touches-strings={(ParentTouches ? "on" : "off")}",
        $"workload.fork-exec.argv-array={ArgvArray}",
        $"workload.fork-exec.execs={execs.ToString(CultureInfo.InvariantCulture)}",
    ];
}

/// <summary>The fixed variant lists of each calibration case.</summary>
public static class CalibrationCases
{
    public const string ForkExec = "fork-exec";

    public const string NumaIdle = "numa-idle";

    /// <summary>Every case `actorkernel calibrate --cases` accepts.</summary>
    public static readonly IReadOnlyList<string> All = [ForkExec, NumaIdle];

    /// <summary>kernel-model.md §1 and §8: fork loses .rodata PTEs; a child touch in the fault-around window repairs them; vfork/posix_spawn share the parent's.</summary>
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
    ];

    public static IReadOnlyList<CalibrationVariant> VariantsOf(string @case) => @case switch
    {
        ForkExec => ForkExecVariants,
        _ => throw new ArgumentException($"unknown calibration case '{@case}'", nameof(@case)),
    };
}
