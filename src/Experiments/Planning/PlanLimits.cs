using System.Globalization;
using ActorKernel.Configuration;
using ActorKernel.Experiments.Configuration;

namespace ActorKernel.Experiments.Planning;

/// <summary>
/// The largest plan ActorKernel expands, checked from the experiment's counts before any run is
/// built: every run's spec and, as runs finish, its record and journal line are kept in memory, so a
/// plan of 10^5 repetitions × 5 policies × 4,000 points would exhaust memory long before it ran.
/// </summary>
public static class PlanLimits
{
    /// <summary>The most runs one experiment may have (docs/configuration.md); split a larger sweep.</summary>
    public const int MaxRuns = 100_000;

    /// <summary>Throws <see cref="ConfigError"/> when <paramref name="experiment"/> would expand to more than <see cref="MaxRuns"/> runs.</summary>
    public static void Check(ExperimentSettings experiment)
    {
        long points = 1;
        foreach (var axis in experiment.Sweep) points = SaturatingMultiply(points, axis.Values.Count);
        var runs = SaturatingMultiply(SaturatingMultiply(points, experiment.Policies.Count), experiment.RunsPerPoint);
        if (runs <= MaxRuns) return;
        throw new ConfigError(
            $"the experiment has {N(runs)} runs ({N(points)} sweep points × {N(experiment.Policies.Count)} policies × {N(experiment.RunsPerPoint)} runs per point), " +
            $"more than the limit of {N(MaxRuns)}: lower experiment.runs-per-point, sweep fewer values, or split the sweep into several experiments");
    }

    private static long SaturatingMultiply(long a, long b) =>
        a != 0 && b > long.MaxValue / a ? long.MaxValue : a * b;

    private static string N(long n) => n == long.MaxValue ? "more than 2^63" : n.ToString("N0", CultureInfo.InvariantCulture);
}
