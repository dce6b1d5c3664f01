using Akka.Configuration;

namespace ActorKernel.Actors.Configuration;

/// <summary>One parsed layer of configuration and where it came from. Layers are given lowest first.</summary>
public sealed record ConfigLayer(ConfigSource Source, Config Config)
{
    /// <summary>
    /// Parses <paramref name="text"/> as a layer whose top-level blocks must be among <paramref name="allowedRoots"/>.
    /// Throws <see cref="ConfigError"/> for malformed text or an unknown top-level block.
    /// </summary>
    public static ConfigLayer Parse(string text, ConfigSource source, IReadOnlyList<string> allowedRoots)
    {
        var config = HoconText.Parse(text, source);
        if (config.Root is { } root && root.IsObject())
        {
            foreach (var top in root.GetObject().Items.Keys)
            {
                if (allowedRoots.Contains(top, StringComparer.Ordinal)) continue;
                var allowed = string.Join(" and ", allowedRoots.Select(r => $"'{r}'"));
                throw new ConfigError(
                    $"unknown top-level block '{top}' in {source}: only {allowed} are allowed; did you mean '{KeyDistance.Nearest(top, allowedRoots)}'?");
            }
        }
        return new ConfigLayer(source, config);
    }

    /// <summary>
    /// Builds a layer from <c>path=value</c> overrides (as <c>--set</c> gives them). A value in
    /// brackets is a HOCON list and one in double quotes a HOCON string; anything else is text, verbatim.
    /// </summary>
    public static ConfigLayer FromOverrides(IEnumerable<KeyValuePair<string, string>> overrides, ConfigSource source, IReadOnlyList<string> allowedRoots)
    {
        var text = new System.Text.StringBuilder();
        foreach (var (key, value) in overrides)
        {
            var segments = HoconText.SplitPath(key.Trim())
                ?? throw new ConfigError($"malformed key '{key}' in {source}: expected a dotted key path such as actor-kernel.workload.fork-exec.spawn");
            var trimmed = value.Trim();
            var hoconValue = trimmed.StartsWith('[') || trimmed.StartsWith('"') ? trimmed : HoconText.Quote(value);
            // Nested blocks rather than a dotted path, so that every segment is quoted exactly as given.
            foreach (var segment in segments) text.Append(HoconText.Quote(segment)).Append(" { ");
            text.Length -= 3;
            text.Append(" = ").Append(hoconValue);
            text.Append(new string('}', segments.Count - 1)).Append('\n');
        }
        return Parse(text.ToString(), source, allowedRoots);
    }
}
