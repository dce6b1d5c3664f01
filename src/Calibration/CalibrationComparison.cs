namespace ActorKernel.Calibration;

/// <summary>Failed reads out of trials, on one side (real kernel or model).</summary>
public sealed record FailureCount(int Failed, int Trials)
{
    public double Fraction => Trials == 0 ? double.NaN : (double)Failed / Trials;

    public override string ToString() => $"{Failed}/{Trials}";
}

/// <summary>Whether the real kernel and the model agree on a variant's filename failure fraction.</summary>
public static class CalibrationComparison
{
    /// <summary>"Fails" and "works" are the rules the model encodes; between them the fractions must be within this distance.</summary>
    public const double Tolerance = 0.2;

    /// <summary>Agree when both fail (≥ 0.9), both work (≤ 0.1), or otherwise the fractions are within <see cref="Tolerance"/>. No trials on either side never agrees.</summary>
    public static bool Agrees(FailureCount real, FailureCount model)
    {
        if (real.Trials == 0 || model.Trials == 0) return false;
        double r = real.Fraction, m = model.Fraction;
        if (r >= 0.9 && m >= 0.9) return true;
        if (r <= 0.1 && m <= 0.1) return true;
        return Math.Abs(r - m) <= Tolerance + 1e-12;
    }
}
