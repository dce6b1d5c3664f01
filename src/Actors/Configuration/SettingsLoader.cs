using ActorKernel.Configuration;

namespace ActorKernel.Actors.Configuration;

/// <summary>
/// The layers of the <c>actor-kernel</c> block, lowest first: the embedded reference.conf ← the kernel
/// profile (config/kernels/&lt;actor-kernel.kernel.profile&gt;.conf, chosen by the layers above it) ←
/// the caller's layers (a file, <c>--set</c>, a sweep point); and their binding into
/// <see cref="ActorKernelSettings"/>. Every user mistake is a <see cref="ConfigError"/>.
/// </summary>
public static class SettingsLoader
{
    /// <summary><c>--set</c> for files of <c>actor-kernel</c> keys only; a key path without the prefix is under <c>actor-kernel</c>.</summary>
    public static OverrideSyntax Overrides { get; } = new([ActorKernelSchema.Root], "workload.fork-exec.spawn", "vfork");

    private static readonly Lazy<ConfigLayer> ReferenceLayer = new(() =>
        ConfigLayer.Parse(EmbeddedConfig.Read(typeof(SettingsLoader).Assembly, "ActorKernel.Actors.reference.conf"), ConfigSource.Reference, [ActorKernelSchema.Root]));

    /// <summary>The embedded reference.conf of ActorKernel.Actors: every <c>actor-kernel</c> key with its default.</summary>
    public static ConfigLayer Reference => ReferenceLayer.Value;

    /// <summary>
    /// reference.conf, the kernel profile, then <paramref name="upper"/> (lowest first). The profile
    /// is the one the layers above it select, so a file, <c>--set</c> or a sweep point may choose it.
    /// </summary>
    public static IReadOnlyList<ConfigLayer> Stack(IReadOnlyList<ConfigLayer> upper)
    {
        var chosen = ActorKernelSchema.Schema.Resolve([Reference, .. upper], requireAll: false);
        return [Reference, KernelProfiles.Layer(chosen.Get(ActorKernelSchema.Profile)), .. upper];
    }

    /// <summary>The <c>actor-kernel</c> block of <see cref="Stack"/>, validated, every key set.</summary>
    public static ResolvedConfig Resolve(IReadOnlyList<ConfigLayer> upper) => ActorKernelSchema.Schema.Resolve(Stack(upper));

    /// <summary>The settings of <see cref="Stack"/>, validated and bound.</summary>
    public static ActorKernelSettings Bind(IReadOnlyList<ConfigLayer> upper) => ActorKernelSchema.Bind(Resolve(upper));

    /// <summary>
    /// The settings of a file of <c>actor-kernel</c> keys at <paramref name="path"/> (none when null)
    /// with <c>--set</c> overrides on top: for scenarios, benchmarks and tests that run one machine.
    /// </summary>
    public static ActorKernelSettings Load(string? path, IReadOnlyList<string> setOverrides)
    {
        var upper = new List<ConfigLayer>();
        if (path is not null) upper.Add(ConfigLayer.Load(path, "configuration file", [ActorKernelSchema.Root]));
        if (setOverrides.Count > 0) upper.Add(Overrides.Layer(setOverrides, ConfigSource.Set));
        return Bind(upper);
    }
}
