using ActorKernel.Actors.Configuration;
using ActorKernel.Configuration;
using Akka.Configuration;

namespace ActorKernel.Experiments.Configuration;

/// <summary>
/// The loaded, validated layers of an experiment: the experiment file and <c>--set</c> above the
/// <c>actor-kernel</c> reference and kernel profile (<see cref="SettingsLoader.Stack"/>).
/// <see cref="Bind"/> produces the settings of one run, a sweep point's overrides on top of
/// everything (so a sweep may vary <c>kernel.profile</c> too).
/// </summary>
public sealed class LoadedConfig
{
    /// <summary>How errors name the overrides of one sweep point.</summary>
    public static readonly ConfigSource SweepSource = new("sweep");

    private readonly IReadOnlyList<ConfigLayer> _upper;
    private readonly ResolvedConfig _resolved;

    internal LoadedConfig(IReadOnlyList<ConfigLayer> upper)
    {
        _upper = upper;
        Layers = SettingsLoader.Stack(upper);
        _resolved = ActorKernelSchema.Schema.Resolve(Layers);
        Settings = ActorKernelSchema.Bind(_resolved);
        Config = Layers.Skip(1).Aggregate(Layers[0].Config, (lower, higher) => higher.Config.WithFallback(lower));
    }

    /// <summary>The layers, lowest first: reference.conf, the kernel profile, the experiment (if any), --set (if any).</summary>
    public IReadOnlyList<ConfigLayer> Layers { get; }

    /// <summary>All layers merged by Akka's HOCON. Read settings through <see cref="Bind"/>, which validates; this is for display.</summary>
    public Config Config { get; }

    /// <summary>The settings without sweep overrides (validated when loaded).</summary>
    public ActorKernelSettings Settings { get; }

    /// <summary>The raw merged <c>experiment</c> block (empty when no layer has one); <c>ExperimentBinder</c> validates it through <see cref="Layers"/>.</summary>
    public Config Experiment => Config.HasPath(ExperimentBinder.Root) ? Config.GetConfig(ExperimentBinder.Root) : Config.Empty;

    /// <summary>
    /// Binds the settings with a sweep point's overrides (full or actor-kernel-relative key paths →
    /// values as written) on top. Errors name "sweep" as the source.
    /// </summary>
    public ActorKernelSettings Bind(IReadOnlyList<KeyValuePair<string, string>> pointOverrides)
    {
        if (pointOverrides.Count == 0) return Settings;
        var point = ExperimentLoader.Overrides.Layer(pointOverrides, SweepSource);
        // Validating the point alone first names the same first error a whole stack would (the layers below passed).
        // A point that chooses the kernel profile changes the stack below it; any other is resolved on top of this one's.
        if (ActorKernelSchema.Schema.Resolve([point], requireAll: false).Find(ActorKernelSchema.Profile.Path) is not null)
            return SettingsLoader.Bind([.. _upper, point]);
        return ActorKernelSchema.Bind(ActorKernelSchema.Schema.Resolve(_resolved, [point]));
    }

    /// <summary>
    /// Deterministic HOCON text of the effective configuration (for <c>effective.conf</c>): every
    /// <c>actor-kernel</c> key with its value, keys sorted, then the <c>experiment</c> block as written
    /// (its order is kept because the sweep's axis order is meaningful).
    /// </summary>
    public string RenderEffective(IReadOnlyList<KeyValuePair<string, string>>? pointOverrides = null)
    {
        var upper = WithPoint(pointOverrides ?? []);
        return EffectiveConfigWriter.Write(SettingsLoader.Resolve(upper), Experiment, SettingsLoader.Stack(upper).Select(l => l.Source.Name));
    }

    private IReadOnlyList<ConfigLayer> WithPoint(IReadOnlyList<KeyValuePair<string, string>> pointOverrides) =>
        pointOverrides.Count == 0 ? _upper : [.. _upper, ExperimentLoader.Overrides.Layer(pointOverrides, SweepSource)];
}
