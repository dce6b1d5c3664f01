using System.Text;

namespace ActorKernel.Actors.Configuration;

/// <summary>
/// Loads the configuration layers: embedded reference.conf ← kernel profile
/// (config/kernels/&lt;actor-kernel.kernel.profile&gt;.conf) ← the experiment file ← <c>--set</c> overrides,
/// and validates the <c>actor-kernel</c> block. Every user mistake is a <see cref="ConfigError"/>.
/// </summary>
public static class SettingsLoader
{
    /// <summary>The only top-level blocks a configuration file may have.</summary>
    public static readonly IReadOnlyList<string> Roots = [ActorKernelSchema.Root, "experiment"];

    private static readonly Lazy<ConfigLayer> ReferenceLayer = new(() => ConfigLayer.Parse(ReadReference(), ConfigSource.Reference, Roots));

    /// <summary>Loads reference + profile + the experiment file at <paramref name="experimentPath"/> (none when null) + overrides.</summary>
    public static LoadedConfig Load(string? experimentPath, IReadOnlyList<string> setOverrides)
    {
        if (experimentPath is null) return Load((ConfigLayer?)null, setOverrides);
        string text;
        try
        {
            text = File.ReadAllText(experimentPath, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ConfigError($"cannot read experiment file {experimentPath}: {e.Message}");
        }
        return Load(ConfigLayer.Parse(text, ConfigSource.File(experimentPath), Roots), setOverrides);
    }

    /// <summary>Loads an experiment given as text (e.g. the embedded default), named <paramref name="displayName"/> in errors.</summary>
    public static LoadedConfig Load(string experimentText, string displayName, IReadOnlyList<string> setOverrides) =>
        Load(ConfigLayer.Parse(experimentText, new ConfigSource(displayName), Roots), setOverrides);

    /// <summary>
    /// Splits <c>path=value</c> at the first '='; a path that starts with neither <c>actor-kernel.</c>
    /// nor <c>experiment.</c> is under <c>actor-kernel</c>.
    /// </summary>
    public static KeyValuePair<string, string> ParseOverride(string assignment, ConfigSource source)
    {
        var eq = assignment.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
            throw new ConfigError($"malformed override '{assignment}' in {source}: expected key=value, e.g. workload.fork-exec.spawn=vfork");
        return new(NormalizeKey(assignment[..eq].Trim()), assignment[(eq + 1)..].Trim());
    }

    /// <summary>Prefixes <c>actor-kernel.</c> to a key path that names no top-level block.</summary>
    public static string NormalizeKey(string key) =>
        Roots.Any(r => key.StartsWith(r + ".", StringComparison.Ordinal)) ? key : ActorKernelSchema.Root + "." + key;

    private static LoadedConfig Load(ConfigLayer? experiment, IReadOnlyList<string> setOverrides)
    {
        ConfigLayer? set = null;
        if (setOverrides.Count > 0)
            set = ConfigLayer.FromOverrides(setOverrides.Select(o => ParseOverride(o, ConfigSource.Set)), ConfigSource.Set, Roots);
        var upper = new List<ConfigLayer> { ReferenceLayer.Value };
        if (experiment is not null) upper.Add(experiment);
        if (set is not null) upper.Add(set);
        return new LoadedConfig(upper);
    }

    private static string ReadReference()
    {
        using var stream = typeof(SettingsLoader).Assembly.GetManifestResourceStream("ActorKernel.reference.conf")
            ?? throw new InvalidOperationException("reference.conf is not embedded in ActorKernel.Actors");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
