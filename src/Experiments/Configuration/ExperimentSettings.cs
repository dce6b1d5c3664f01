using ActorKernel.Configuration;
using ActorKernel.Model;

namespace ActorKernel.Experiments.Configuration;

/// <summary>The <c>experiment</c> block, bound and validated.</summary>
public sealed record ExperimentSettings
{
    /// <summary>The experiment's name ([a-z0-9-]+), used for the output folder.</summary>
    public required string Name { get; init; }

    /// <summary>The seed every run's seed is derived from.</summary>
    public required long Seed { get; init; }

    /// <summary>Repetitions of every sweep point and policy.</summary>
    public required int RunsPerPoint { get; init; }

    /// <summary>The probe policies to compare, in the order written (names of <see cref="ProbePolicy.All"/>).</summary>
    public required IReadOnlyList<ProbePolicy> Policies { get; init; }

    /// <summary>The sweep's axes in the order written; the first is the outermost loop.</summary>
    public required IReadOnlyList<SweepAxis> Sweep { get; init; }
}

/// <summary>One swept key: its full path (with <c>actor-kernel.</c>) and the values to try, as written.</summary>
public sealed record SweepAxis(string KeyPath, IReadOnlyList<string> Values);
