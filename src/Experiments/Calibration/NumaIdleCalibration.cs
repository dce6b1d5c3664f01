using System.Globalization;
using System.Text.RegularExpressions;

namespace ActorKernel.Experiments.Calibration;

/// <summary>One numa-idle variant: THREADS threads of which BUSY burn CPU (calibration/numa_idle.c; workload.numa-idle.*).</summary>
public sealed record NumaIdleVariant(int Threads, int Busy)
{
    public const int IntervalMs = 100;

    public string Name => $"threads={Threads} busy={Busy}";

    /// <summary>The reproducer's arguments: THREADS BUSY SECONDS INTERVAL_MS.</summary>
    public IReadOnlyList<string> ReproducerArguments(int seconds) =>
        [Threads.ToString(CultureInfo.InvariantCulture), Busy.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture), IntervalMs.ToString(CultureInfo.InvariantCulture)];

    /// <summary>The model's --set overrides: the numa-idle workload alone, balancing on, one node, only the idle-buffer read.</summary>
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
        "workload.numa-idle.reads.idle-buffer=on",
        "workload.numa-idle.reads.arg-start=off",
        "workload.numa-idle.reads.kernel-touched-buffer=off",
    ];

    /// <summary>kernel-model.md §8: busy multi-threaded → hinted (mostly failing); busy single-threaded → none; all asleep → none.</summary>
    public static readonly IReadOnlyList<NumaIdleVariant> All = [new(4, 1), new(1, 1), new(4, 0)];
}

/// <summary>One write(2) seen by calibration/write.bt: milliseconds since the process's first traced write, and whether the buffer read succeeded.</summary>
public sealed record WriteObservation(int Pid, long ElapsedMs, bool Ok);

/// <summary>Parses calibration/write.bt's output: "write PID ELAPSED_MS ok=0|1"; other lines are ignored.</summary>
public static partial class WriteProbeOutput
{
    /// <summary>Reads before this are not compared: the scanner's first pass comes about 1–1.5 s after start.</summary>
    public const long SettleMs = 2000;

    [GeneratedRegex(@"^write (\d+) (\d+) ok=([01])\s*$")]
    private static partial Regex WriteLine();

    public static WriteObservation? ParseLine(string line)
    {
        var m = WriteLine().Match(line);
        if (!m.Success) return null;
        return new WriteObservation(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), m.Groups[3].Value == "1");
    }

    public static IReadOnlyList<WriteObservation> Parse(string text) =>
        text.Split('\n').Select(l => ParseLine(l.TrimEnd('\r'))).OfType<WriteObservation>().ToArray();

    /// <summary>Failed / total reads at or after <see cref="SettleMs"/>.</summary>
    public static FailureCount AfterSettle(IEnumerable<WriteObservation> observations)
    {
        var late = observations.Where(o => o.ElapsedMs >= SettleMs).ToList();
        return new FailureCount(late.Count(o => !o.Ok), late.Count);
    }
}

/// <summary>Qualitative agreement for numa-idle: both mostly failing (≥ 0.5) or both none (≤ 0.05).</summary>
public static class NumaIdleComparison
{
    public const double Mostly = 0.5;
    public const double None = 0.05;

    public static bool Agrees(FailureCount real, FailureCount model)
    {
        if (real.Trials == 0 || model.Trials == 0) return false;
        double r = real.Fraction, m = model.Fraction;
        return (r >= Mostly && m >= Mostly) || (r <= None + 1e-12 && m <= None + 1e-12);
    }

    /// <summary>"mostly failing", "none" or "some" — how the table and JSON describe a fraction.</summary>
    public static string Describe(FailureCount c) =>
        c.Trials == 0 ? "no reads" : c.Fraction >= Mostly ? "mostly failing" : c.Fraction <= None + 1e-12 ? "none" : "some";
}

/// <summary>One numa-idle variant, both sides: idle-buffer reads after the first 2 s.</summary>
public sealed record NumaIdleRow(NumaIdleVariant Variant, int Seconds, FailureCount Real, FailureCount Model)
{
    public bool Agrees => NumaIdleComparison.Agrees(Real, Model);
}
