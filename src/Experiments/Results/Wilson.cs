namespace ActorKernel.Experiments.Results;

/// <summary>Wilson score interval for a proportion: well behaved at 0 and 1 failures, unlike the normal approximation.</summary>
public static class Wilson
{
    /// <summary>z for a two-sided 95% interval: MathNet.Numerics Normal.InvCDF(0, 1, 0.975).</summary>
    public static readonly double Z95 = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 0.975);

    public static (double Low, double High) Interval95(long successes, long trials)
    {
        if (trials <= 0) return (0, 0);
        double n = trials, p = successes / n, z2 = Z95 * Z95;
        var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        var half = Z95 * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
