namespace ActorKernel.Experiments.Explain;

/// <summary>Which read of a run to explain: read number K, the first failed one, or the first failed one of a target.</summary>
public sealed record ReadSelector(int? Read, string? Target)
{
    /// <summary>The first failed read (the default).</summary>
    public static ReadSelector FirstFailed { get; } = new(null, null);
}
