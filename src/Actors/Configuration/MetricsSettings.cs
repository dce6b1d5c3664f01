namespace ActorKernel.Actors.Configuration;

/// <summary><c>actor-kernel.metrics</c>: what a run records besides its totals.</summary>
public sealed record MetricsSettings
{
    /// <summary>Width of a results.json timeline bucket, in virtual milliseconds.</summary>
    public required long TimelineBucketMs { get; init; }
}
