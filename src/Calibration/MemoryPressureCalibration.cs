using System.Globalization;
using System.Text.RegularExpressions;
using ActorKernel.Actors.Workloads;

namespace ActorKernel.Calibration;

/// <summary>
/// One memory-pressure variant: the reproducer (calibration/memory_pressure.c; workload.memory-pressure.*)
/// in a memory cgroup of <paramref name="LimitMb"/> MiB, below its footprint, with or without swap.
/// </summary>
public sealed record MemoryPressureVariant(int LimitMb, bool Swap)
{
    public const int IntervalMs = 100;
    public const int HotPages = 64;
    public const int IdleFilePages = 2048;
    public const int IdleAnonPages = 256;

    /// <summary>The size of the temporary swap file --allow-swapfile creates, and of the model's swap.</summary>
    public const int SwapMb = 64;

    public string Name => $"memory.max={LimitMb} MiB, {(Swap ? "swap" : "no swap")}";

    /// <summary>The reproducer's arguments: CGROUP_PROCS DATA_FILE HOT_PAGES IDLE_FILE_PAGES IDLE_ANON_PAGES SECONDS INTERVAL_MS.</summary>
    public IReadOnlyList<string> ReproducerArguments(string cgroupProcs, string dataFile, int seconds) =>
        [cgroupProcs, dataFile, N(HotPages), N(IdleFilePages), N(IdleAnonPages), N(seconds), N(IntervalMs)];

    /// <summary>
    /// The model's --set overrides: the memory-pressure workload alone, no hog, the traced process in a
    /// cgroup of the variant's limit, the reproducer's sizes, and timeline buckets one probe interval wide
    /// (one round per bucket, so the reads can be told apart in time).
    /// </summary>
    public IReadOnlyList<string> ModelOverrides(int seconds) =>
    [
        "workload.fork-exec.enabled=off",
        "workload.memory-pressure.enabled=on",
        $"workload.memory-pressure.duration-s={N(seconds)}",
        $"workload.memory-pressure.hot-pages={N(HotPages)}",
        $"workload.memory-pressure.idle-file-pages={N(IdleFilePages)}",
        $"workload.memory-pressure.idle-anon-pages={N(IdleAnonPages)}",
        "workload.memory-pressure.hog-mb=0",
        $"workload.memory-pressure.cgroup-limit-mb={N(LimitMb)}",
        $"workload.memory-pressure.probe-interval-ms={N(IntervalMs)}",
        $"memory.swap-mb={N(Swap ? SwapMb : 0)}",
        $"metrics.timeline-bucket-ms={N(IntervalMs)}",
    ];

    /// <summary>
    /// kernel-model.md §12: 4 MiB holds the anonymous memory and the hot file pages but not the 8 MiB of idle
    /// file data, which reclaim evicts (not-mapped) while the anonymous buffer stays (no swap); at 2 MiB with
    /// swap the anonymous pages are reclaimable too (a swap entry: swapped-out).
    /// </summary>
    public static readonly IReadOnlyList<MemoryPressureVariant> All = [new(4, false), new(2, true)];

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
}

/// <summary>One probe read of the memory-pressure reproducer, real or model: its target (<see cref="MemoryPressureTargets"/>), when (ms since the process started), whether it succeeded, and the model's cause when it failed (the real side cannot tell).</summary>
public sealed record MemoryPressureRead(string Target, long AtMs, bool Ok, string? Cause = null);

/// <summary>
/// Parses calibration/memory_pressure.bt's output: "read PID COUNT MS ok=0|1", COUNT 61 idle-file,
/// 62 idle-anon, 63 hot; MS since the process started. Other lines are ignored.
/// </summary>
public static partial class MemoryPressureProbeOutput
{
    [GeneratedRegex(@"^read \d+ (6[123]) (\d+) ok=([01])\s*$")]
    private static partial Regex ReadLine();

    public static IReadOnlyList<MemoryPressureRead> ParseLine(string line)
    {
        var m = ReadLine().Match(line);
        if (!m.Success) return [];
        var target = m.Groups[1].Value switch
        {
            "61" => MemoryPressureTargets.IdleFile,
            "62" => MemoryPressureTargets.IdleAnon,
            _ => MemoryPressureTargets.Hot,
        };
        return [new(target, long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), m.Groups[3].Value == "1")];
    }

    public static IReadOnlyList<MemoryPressureRead> Parse(string text) =>
        text.Split('\n').SelectMany(l => ParseLine(l.TrimEnd('\r'))).ToArray();
}

/// <summary>
/// Qualitative agreement for memory-pressure (kernel-model.md §12), per read target, on the reads from
/// <see cref="SettleMs"/> (the cgroup's reclaim is done by then: the reproducer fills its footprint in
/// the first few hundred ms): both mostly failing (≥ 0.5) or both none (≤ 0.05). The model's causes are
/// reported, not compared: the real probe sees only that the read failed.
/// </summary>
public static class MemoryPressureComparison
{
    public const long SettleMs = 2000;

    public static IEnumerable<MemoryPressureRead> Counted(string target, IEnumerable<MemoryPressureRead> reads) =>
        reads.Where(r => r.Target == target && r.AtMs >= SettleMs);

    public static FailureCount Count(string target, IEnumerable<MemoryPressureRead> reads)
    {
        var counted = Counted(target, reads).ToList();
        return new FailureCount(counted.Count(r => !r.Ok), counted.Count);
    }

    /// <summary>"mostly failing", "none", "some" or "no reads" (<see cref="NumaIdleComparison.Describe"/>'s thresholds).</summary>
    public static string Outcome(string target, IEnumerable<MemoryPressureRead> reads) => NumaIdleComparison.Describe(Count(target, reads));

    public static bool Agrees(string target, IEnumerable<MemoryPressureRead> real, IEnumerable<MemoryPressureRead> model)
    {
        var r = Outcome(target, real);
        return r == Outcome(target, model) && r is "mostly failing" or "none";
    }

    /// <summary>The model's causes of the counted failed reads, most frequent first ("not-mapped 18, swapped-out 2"), or "-".</summary>
    public static string Causes(string target, IEnumerable<MemoryPressureRead> reads)
    {
        var causes = Counted(target, reads).Where(r => !r.Ok).GroupBy(r => r.Cause ?? "?")
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}").ToArray();
        return causes.Length == 0 ? "-" : string.Join(", ", causes);
    }

    /// <summary>When the first read failed, ms since the process started; null if none did.</summary>
    public static long? FirstFailureMs(string target, IEnumerable<MemoryPressureRead> reads) =>
        reads.Where(r => r.Target == target && !r.Ok).Select(r => (long?)r.AtMs).Min();
}

/// <summary>One read target of one memory-pressure variant, both sides.</summary>
public sealed record MemoryPressureTargetRow(string Target, IReadOnlyList<MemoryPressureRead> Real, IReadOnlyList<MemoryPressureRead> Model)
{
    public FailureCount RealCount => MemoryPressureComparison.Count(Target, Real);
    public FailureCount ModelCount => MemoryPressureComparison.Count(Target, Model);
    public string RealOutcome => MemoryPressureComparison.Outcome(Target, Real);
    public string ModelOutcome => MemoryPressureComparison.Outcome(Target, Model);
    public string ModelCauses => MemoryPressureComparison.Causes(Target, Model);
    public long? RealFirstFailureMs => MemoryPressureComparison.FirstFailureMs(Target, Real);
    public long? ModelFirstFailureMs => MemoryPressureComparison.FirstFailureMs(Target, Model);
    public bool Agrees => MemoryPressureComparison.Agrees(Target, Real, Model);
}

/// <summary>One memory-pressure variant, both sides, per read target (idle-file, idle-anon, hot); it agrees when every target does.</summary>
public sealed record MemoryPressureRow(MemoryPressureVariant Variant, int Seconds, string CgroupVersion, IReadOnlyList<MemoryPressureTargetRow> Targets)
{
    public static readonly IReadOnlyList<string> TargetOrder = [MemoryPressureTargets.IdleFile, MemoryPressureTargets.IdleAnon, MemoryPressureTargets.Hot];

    public static MemoryPressureRow Of(MemoryPressureVariant variant, int seconds, string cgroupVersion, IReadOnlyList<MemoryPressureRead> real, IReadOnlyList<MemoryPressureRead> model) =>
        new(variant, seconds, cgroupVersion, TargetOrder.Select(t => new MemoryPressureTargetRow(t, real.Where(r => r.Target == t).ToArray(), model.Where(r => r.Target == t).ToArray())).ToArray());

    public bool Agrees => Targets.Count > 0 && Targets.All(t => t.Agrees);
}
