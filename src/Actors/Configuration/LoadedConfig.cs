using System.Collections.Concurrent;
using Akka.Configuration;

namespace ActorKernel.Actors.Configuration;

/// <summary>
/// The loaded, validated configuration layers. <see cref="Bind"/> produces the settings of one
/// run: the kernel profile layer is chosen from the layers above it (so a sweep may vary
/// <c>kernel.profile</c>), and a sweep point's overrides go on top of everything.
/// </summary>
public sealed class LoadedConfig
{
    private static readonly ConcurrentDictionary<string, ConfigLayer> ProfileLayers = new(StringComparer.Ordinal);

    private readonly IReadOnlyList<ConfigLayer> _upper;

    internal LoadedConfig(IReadOnlyList<ConfigLayer> upper)
    {
        _upper = upper;
        Layers = WithProfile(upper);
        Settings = ActorKernelSchema.Bind(ActorKernelSchema.Schema.Resolve(Layers));
        Config = Layers.Skip(1).Aggregate(Layers[0].Config, (lower, higher) => higher.Config.WithFallback(lower));
    }

    /// <summary>The layers, lowest first: reference.conf, the kernel profile, the experiment (if any), --set (if any).</summary>
    public IReadOnlyList<ConfigLayer> Layers { get; }

    /// <summary>All layers merged by Akka's HOCON. Read settings through <see cref="Bind"/>, which validates; this is for display.</summary>
    public Config Config { get; }

    /// <summary>The settings without sweep overrides (validated when loaded).</summary>
    public ActorKernelSettings Settings { get; }

    /// <summary>The raw merged <c>experiment</c> block (empty when no layer has one); <c>ExperimentBinder</c> validates it through <see cref="Layers"/>.</summary>
    public Config Experiment => Config.HasPath("experiment") ? Config.GetConfig("experiment") : Config.Empty;

    /// <summary>
    /// Binds the settings with a sweep point's overrides (full or actor-kernel-relative key paths →
    /// values as written) on top. Errors name "sweep" as the source.
    /// </summary>
    public ActorKernelSettings Bind(IReadOnlyList<KeyValuePair<string, string>> pointOverrides) =>
        pointOverrides.Count == 0 ? Settings : ActorKernelSchema.Bind(Resolve(pointOverrides));

    /// <summary>
    /// Deterministic HOCON text of the effective configuration (for <c>effective.conf</c>): every
    /// <c>actor-kernel</c> key with its value, keys sorted, then the <c>experiment</c> block as written
    /// (its order is kept because the sweep's axis order is meaningful).
    /// </summary>
    public string RenderEffective(IReadOnlyList<KeyValuePair<string, string>>? pointOverrides = null)
    {
        var resolved = Resolve(pointOverrides ?? []);
        var sources = WithProfile(WithPoint(pointOverrides ?? [])).Select(l => l.Source.Name);
        return EffectiveConfigWriter.Write(resolved, Experiment, sources);
    }

    private ResolvedConfig Resolve(IReadOnlyList<KeyValuePair<string, string>> pointOverrides) =>
        ActorKernelSchema.Schema.Resolve(WithProfile(WithPoint(pointOverrides)));

    private IReadOnlyList<ConfigLayer> WithPoint(IReadOnlyList<KeyValuePair<string, string>> pointOverrides)
    {
        if (pointOverrides.Count == 0) return _upper;
        var overrides = pointOverrides.Select(o => new KeyValuePair<string, string>(SettingsLoader.NormalizeKey(o.Key), o.Value));
        return [.. _upper, ConfigLayer.FromOverrides(overrides, ConfigSource.Sweep, SettingsLoader.Roots)];
    }

    // The profile layer goes just above reference.conf; which profile is decided by all the layers above it.
    private static IReadOnlyList<ConfigLayer> WithProfile(IReadOnlyList<ConfigLayer> upper)
    {
        var chosen = ActorKernelSchema.Schema.Resolve(upper, requireAll: false);
        var name = chosen.TryGet(ActorKernelSchema.Profile, out var n) ? n : KernelProfiles.Default;
        var profile = ProfileLayers.GetOrAdd(name, p => ConfigLayer.Parse(KernelProfiles.Text(p), ConfigSource.Profile(p), [ActorKernelSchema.Root]));
        return [upper[0], profile, .. upper.Skip(1)];
    }
}
