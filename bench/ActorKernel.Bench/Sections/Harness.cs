using System.Diagnostics;
using ActorKernel.Bench.Infra;

namespace ActorKernel.Bench.Sections;

/// <summary>Shared knobs of one invocation.</summary>
public sealed class Harness
{
    public required BenchReport Report { get; init; }
    public required int Reps { get; init; }

    /// <summary>Multiplies every work size (1 = the documented sizes; smaller for a smoke run).</summary>
    public required double Scale { get; init; }

    /// <summary>The largest fork-exec run of the scale section (--max-execs; 10^5 by default, 10^6 takes minutes).</summary>
    public long MaxExecs { get; init; } = 100_000;

    /// <summary>--fork-only: the scale section runs fork-exec at 10^3 and <see cref="MaxExecs"/> only (no numa-idle, no sweeps).</summary>
    public bool ForkOnly { get; init; }

    /// <summary>Where the JSON goes; the scale section's plot goes beside it.</summary>
    public string OutPath { get; init; } = "bench-results.json";

    public long Scaled(long n) => Math.Max(1, (long)(n * Scale));

    /// <summary>
    /// Runs <paramref name="warmup"/> once, then <see cref="Reps"/> rounds of every measurement
    /// in turn (interleaved, so drift on a shared machine hits all of them alike).
    /// </summary>
    public Dictionary<string, List<double>> Interleaved(Action warmup, params (string Name, Func<double> Measure)[] measures)
    {
        warmup();
        var samples = measures.ToDictionary(m => m.Name, _ => new List<double>());
        for (var rep = 0; rep < Reps; rep++)
        {
            foreach (var (name, measure) in measures)
            {
                CollectQuietly();
                samples[name].Add(measure());
            }
        }
        return samples;
    }

    /// <summary>A full blocking collection so one measurement's garbage is not charged to the next.</summary>
    public static void CollectQuietly()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    public static double Seconds(Action action)
    {
        var t0 = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }
}
