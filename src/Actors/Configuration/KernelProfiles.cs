using System.Collections.Concurrent;
using ActorKernel.Configuration;

namespace ActorKernel.Actors.Configuration;

/// <summary>
/// The kernel profiles embedded from <c>config/kernels/*.conf</c> (resources <c>ActorKernel.kernels.&lt;name&gt;.conf</c>),
/// discovered from the assembly's resources: adding a kernel is adding a file there, nothing else.
/// </summary>
public static class KernelProfiles
{
    private const string Prefix = "ActorKernel.kernels.";
    private const string Suffix = ".conf";

    private static readonly ConcurrentDictionary<string, ConfigLayer> Layers = new(StringComparer.Ordinal);

    /// <summary>Every embedded profile, oldest kernel first (names that are not versions first, in ordinal order).</summary>
    public static IReadOnlyList<string> Names { get; } = EmbeddedConfig.Names(typeof(KernelProfiles).Assembly, Prefix, Suffix)
        .OrderBy(n => Version.TryParse(n, out var v) ? v : new Version())
        .ToArray();

    /// <summary>The text of profile <paramref name="name"/>.</summary>
    public static string Text(string name) =>
        EmbeddedConfig.TryRead(typeof(KernelProfiles).Assembly, Prefix + name + Suffix)
        ?? throw new ConfigError($"no kernel profile '{name}': expected one of {string.Join(", ", Names)}");

    /// <summary>How errors name the layer of profile <paramref name="name"/>.</summary>
    public static ConfigSource Source(string name) => new($"kernel profile {name}");

    /// <summary>Profile <paramref name="name"/> parsed as a layer (parsed once per process).</summary>
    public static ConfigLayer Layer(string name) =>
        Layers.GetOrAdd(name, n => ConfigLayer.Parse(Text(n), Source(n), [ActorKernelSchema.Root]));
}
