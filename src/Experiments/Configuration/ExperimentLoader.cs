using ActorKernel.Actors.Configuration;
using ActorKernel.Configuration;

namespace ActorKernel.Experiments.Configuration;

/// <summary>
/// Loads an experiment's layers: the experiment file (blocks <c>actor-kernel</c> and <c>experiment</c>)
/// and the <c>--set</c> overrides, above the <c>actor-kernel</c> reference and kernel profile.
/// Every user mistake is a <see cref="ConfigError"/>.
/// </summary>
public static class ExperimentLoader
{
    /// <summary>The only top-level blocks an experiment file may have.</summary>
    public static readonly IReadOnlyList<string> Roots = [ActorKernelSchema.Root, ExperimentBinder.Root];

    /// <summary>
    /// <c>--set</c> and sweep points: a key path that starts with neither <c>actor-kernel.</c> nor
    /// <c>experiment.</c> is under <c>actor-kernel</c>.
    /// </summary>
    public static OverrideSyntax Overrides { get; } = new(Roots, "workload.fork-exec.spawn", "vfork");

    /// <summary>Loads the experiment file at <paramref name="experimentPath"/> (none when null) and the overrides.</summary>
    public static LoadedConfig Load(string? experimentPath, IReadOnlyList<string> setOverrides) =>
        Load(experimentPath is null ? null : ConfigLayer.Load(experimentPath, "experiment file", Roots), setOverrides);

    /// <summary>Loads an experiment given as text (e.g. the embedded default), named <paramref name="displayName"/> in errors.</summary>
    public static LoadedConfig Load(string experimentText, string displayName, IReadOnlyList<string> setOverrides) =>
        Load(ConfigLayer.Parse(experimentText, new ConfigSource(displayName), Roots), setOverrides);

    private static LoadedConfig Load(ConfigLayer? experiment, IReadOnlyList<string> setOverrides)
    {
        var upper = new List<ConfigLayer>();
        if (experiment is not null) upper.Add(experiment);
        if (setOverrides.Count > 0) upper.Add(Overrides.Layer(setOverrides, ConfigSource.Set));
        return new LoadedConfig(upper);
    }
}
