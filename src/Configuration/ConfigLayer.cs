using Akka.Configuration;

namespace ActorKernel.Configuration;

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
                var allowed = string.Join(" and ", allowedRoots.Select(r => $"'{r}'")) + (allowedRoots.Count == 1 ? " is" : " are");
                throw new ConfigError(
                    $"unknown top-level block '{UserText.Shorten(top)}' in {source}: only {allowed} allowed; did you mean '{KeyDistance.Nearest(top, allowedRoots)}'?");
            }
        }
        return new ConfigLayer(source, config);
    }

    /// <summary>
    /// Reads and parses the file at <paramref name="path"/> (<paramref name="description"/> names it
    /// in the error when it cannot be read, e.g. "experiment file"); see <see cref="ConfigFile.ReadText"/>.
    /// </summary>
    public static ConfigLayer Load(string path, string description, IReadOnlyList<string> allowedRoots) =>
        Parse(ConfigFile.ReadText(path, description), ConfigSource.File(path), allowedRoots);
}
