using System.Globalization;
using System.Text.RegularExpressions;
using ActorKernel.Actors.Workloads;

namespace ActorKernel.Calibration;

/// <summary>One numa-idle variant: THREADS threads of which BUSY burn CPU (calibration/numa_idle.c; workload.numa-idle.*).</summary>
public sealed record NumaIdleVariant(int Threads, int Busy)
{
    public const int IntervalMs = 100;

    /// <summary>Pages of the openat path buffer, one per round in turn (numa_idle.c PATH_PAGES; workload.numa-idle.kernel-touched-pages).</summary>
    public const int KernelTouchedPages = 4;

    public string Name => $"threads={Threads} busy={Busy}";

    /// <summary>The reproducer's arguments: THREADS BUSY SECONDS INTERVAL_MS.</summary>
    public IReadOnlyList<string> ReproducerArguments(int seconds) =>
        [Threads.ToString(CultureInfo.InvariantCulture), Busy.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture), IntervalMs.ToString(CultureInfo.InvariantCulture)];

    /// <summary>
    /// The model's --set overrides: the numa-idle workload alone, balancing on, one node, the three
    /// reads of each round, and timeline buckets one probe interval wide, so that each bucket holds
    /// one round and the reads can be told apart in time.
    /// </summary>
    public IReadOnlyList<string> ModelOverrides(int seconds) =>
    [
        "numa-balancing.enabled=on",
        "machine.numa-nodes=1",
        "workload.fork-exec.enabled=off",
        "workload.numa-idle.enabled=on",
        $"workload.numa-idle.threads={Threads.ToString(CultureInfo.InvariantCulture)}",
        $"workload.numa-idle.busy-threads={Busy.ToString(CultureInfo.InvariantCulture)}",
        $"workload.numa-idle.duration-s={seconds.ToString(CultureInfo.InvariantCulture)}",
        "workload.numa-idle.idle-buffer-pages=64",
        $"workload.numa-idle.probe-interval-ms={IntervalMs.ToString(CultureInfo.InvariantCulture)}",
        $"workload.numa-idle.kernel-touched-pages={KernelTouchedPages.ToString(CultureInfo.InvariantCulture)}",
        "workload.numa-idle.reads.idle-buffer=on",
        "workload.numa-idle.reads.arg-start=on",
        "workload.numa-idle.reads.kernel-touched-buffer=on",
        $"metrics.timeline-bucket-ms={IntervalMs.ToString(CultureInfo.InvariantCulture)}",
    ];

    /// <summary>kernel-model.md §8: busy multi-threaded → hinted (idle pages mostly failing, kernel-touched ones repaired); busy single-threaded → none; all asleep → none.</summary>
    public static readonly IReadOnlyList<NumaIdleVariant> All = [new(4, 1), new(1, 1), new(4, 0)];
}

/// <summary>One probe read of the numa-idle process, on the real kernel or in the model: its target (<see cref="NumaIdleTargets"/>), when (ms since the process started) and whether it succeeded.</summary>
public sealed record NumaIdleRead(string Target, long AtMs, bool Ok);

/// <summary>
/// Parses calibration/write.bt's output: "write PID MS ok=0|1 arg_start_ok=0|1" (the idle-buffer and
/// arg-start reads of one write(2)) and "openat PID MS ok=0|1" (the kernel-touched path); MS is since
/// the process started. Other lines are ignored.
/// </summary>
public static partial class NumaIdleProbeOutput
{
    [GeneratedRegex(@"^write \d+ (\d+) ok=([01]) arg_start_ok=([01])\s*$")]
    private static partial Regex WriteLine();

    [GeneratedRegex(@"^openat \d+ (\d+) ok=([01])\s*$")]
    private static partial Regex OpenatLine();

    /// <summary>The reads of one line: two for a write, one for an openat, none for anything else.</summary>
    public static IReadOnlyList<NumaIdleRead> ParseLine(string line)
    {
        var m = WriteLine().Match(line);
        if (m.Success)
        {
            var at = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return [new(NumaIdleTargets.IdleBuffer, at, m.Groups[2].Value == "1"), new(NumaIdleTargets.ArgStart, at, m.Groups[3].Value == "1")];
        }
        m = OpenatLine().Match(line);
        if (m.Success)
            return [new(NumaIdleTargets.KernelTouchedBuffer, long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value == "1")];
        return [];
    }

    public static IReadOnlyList<NumaIdleRead> Parse(string text) =>
        text.Split('\n').SelectMany(l => ParseLine(l.TrimEnd('\r'))).ToArray();
}

/// <summary>
/// Qualitative agreement for numa-idle (kernel-model.md §8), per read target:
/// idle-buffer and arg-start (pages nothing touches) on their reads from <see cref="SettleMs"/>:
/// both mostly failing (≥ 0.5) or both none (≤ 0.05);
/// kernel-touched-buffer (the kernel copies the path right after the probe) on the whole run: both
/// none, both repaired (some reads fail, but never two reads of the same page in a row: only the first
/// read of each page after a scan pass) or both not repaired.
/// When the first read failed is reported, not compared: it should come within one scan period on both sides.
/// </summary>
public static class NumaIdleComparison
{
    public const double Mostly = 0.5;
    public const double None = 0.05;

    /// <summary>Reads before this are not compared for the never-touched pages: the scanner's first pass comes about 1–1.5 s after start.</summary>
    public const long SettleMs = 2000;

    /// <summary>numa-balancing.scan-period-min-ms (the kernel's default): how close the two first failures should be.</summary>
    public const long ScanPeriodMs = 1000;

    public const string Repaired = "repaired";
    public const string NotRepaired = "not repaired";

    /// <summary>The reads a target is judged on: from <see cref="SettleMs"/> for the idle buffer and arg-start, all of them for the kernel-touched buffer.</summary>
    public static IEnumerable<NumaIdleRead> Counted(string target, IEnumerable<NumaIdleRead> reads) =>
        reads.Where(r => r.Target == target && (target == NumaIdleTargets.KernelTouchedBuffer || r.AtMs >= SettleMs));

    /// <summary>"from 2 s" or "whole run": the window <see cref="Counted"/> uses, for the table.</summary>
    public static string Window(string target) => target == NumaIdleTargets.KernelTouchedBuffer ? "whole run" : $"from {SettleMs / 1000} s";

    public static FailureCount Count(string target, IEnumerable<NumaIdleRead> reads)
    {
        var counted = Counted(target, reads).ToList();
        return new FailureCount(counted.Count(r => !r.Ok), counted.Count);
    }

    /// <summary>The outcome the rule compares: "mostly failing", "some", "none" (never-touched pages), "none", "repaired", "not repaired" (kernel-touched), or "no reads".</summary>
    public static string Outcome(string target, IEnumerable<NumaIdleRead> reads)
    {
        var counted = Counted(target, reads).ToList();
        if (counted.Count == 0) return "no reads";
        if (target != NumaIdleTargets.KernelTouchedBuffer) return Describe(new FailureCount(counted.Count(r => !r.Ok), counted.Count));
        if (counted.All(r => r.Ok)) return "none";
        // The pages are read in turn, so a run of failed reads longer than the pages means some page
        // failed twice in a row: nothing repaired it in between.
        int run = 0, longest = 0;
        foreach (var r in counted)
        {
            run = r.Ok ? 0 : run + 1;
            longest = Math.Max(longest, run);
        }
        return longest <= NumaIdleVariant.KernelTouchedPages ? Repaired : NotRepaired;
    }

    public static bool Agrees(string target, IEnumerable<NumaIdleRead> real, IEnumerable<NumaIdleRead> model)
    {
        var r = Outcome(target, real);
        var m = Outcome(target, model);
        // "some" and "no reads" are no rule's outcome: they never agree.
        return r == m && r is "mostly failing" or "none" or Repaired or NotRepaired;
    }

    /// <summary>"mostly failing", "none" or "some" — how the table and JSON describe a fraction.</summary>
    public static string Describe(FailureCount c) =>
        c.Trials == 0 ? "no reads" : c.Fraction >= Mostly ? "mostly failing" : c.Fraction <= None + 1e-12 ? "none" : "some";

    /// <summary>When the first read failed, ms since the process started; null if none did.</summary>
    public static long? FirstFailureMs(string target, IEnumerable<NumaIdleRead> reads) =>
        reads.Where(r => r.Target == target && !r.Ok).Select(r => (long?)r.AtMs).Min();

    /// <summary>Whether the two first failures are within one scan period of each other; null when neither side failed.</summary>
    public static bool? WithinScanPeriod(long? realMs, long? modelMs) =>
        realMs is null && modelMs is null ? null : realMs is { } r && modelMs is { } m && Math.Abs(r - m) <= ScanPeriodMs;
}

/// <summary>One read target of one numa-idle variant, both sides: every read, and what the rule makes of them.</summary>
public sealed record NumaIdleTargetRow(string Target, IReadOnlyList<NumaIdleRead> Real, IReadOnlyList<NumaIdleRead> Model)
{
    public FailureCount RealCount => NumaIdleComparison.Count(Target, Real);
    public FailureCount ModelCount => NumaIdleComparison.Count(Target, Model);
    public string RealOutcome => NumaIdleComparison.Outcome(Target, Real);
    public string ModelOutcome => NumaIdleComparison.Outcome(Target, Model);
    public long? RealFirstFailureMs => NumaIdleComparison.FirstFailureMs(Target, Real);
    public long? ModelFirstFailureMs => NumaIdleComparison.FirstFailureMs(Target, Model);
    public bool? FirstFailuresWithinScanPeriod => NumaIdleComparison.WithinScanPeriod(RealFirstFailureMs, ModelFirstFailureMs);
    public bool Agrees => NumaIdleComparison.Agrees(Target, Real, Model);
}

/// <summary>One numa-idle variant, both sides, per read target (idle-buffer, arg-start, kernel-touched-buffer); it agrees when every target does.</summary>
public sealed record NumaIdleRow(NumaIdleVariant Variant, int Seconds, IReadOnlyList<NumaIdleTargetRow> Targets)
{
    /// <summary>The targets in the order of the table and JSON.</summary>
    public static readonly IReadOnlyList<string> TargetOrder = [NumaIdleTargets.IdleBuffer, NumaIdleTargets.ArgStart, NumaIdleTargets.KernelTouchedBuffer];

    /// <summary>Pairs every read of both sides by target, in <see cref="TargetOrder"/>.</summary>
    public static NumaIdleRow Of(NumaIdleVariant variant, int seconds, IReadOnlyList<NumaIdleRead> real, IReadOnlyList<NumaIdleRead> model) =>
        new(variant, seconds, TargetOrder.Select(t => new NumaIdleTargetRow(t, real.Where(r => r.Target == t).ToArray(), model.Where(r => r.Target == t).ToArray())).ToArray());

    public NumaIdleTargetRow IdleBuffer => Targets.Single(t => t.Target == NumaIdleTargets.IdleBuffer);

    public bool Agrees => Targets.Count > 0 && Targets.All(t => t.Agrees);
}
