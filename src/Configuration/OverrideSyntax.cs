using System.Text;

namespace ActorKernel.Configuration;

/// <summary>
/// How <c>key=value</c> overrides (<c>--set</c>, a sweep point) are written for files whose
/// top-level blocks are <see cref="Roots"/>: a key path that starts with no root is under the
/// first root. The example key and value complete the error messages.
/// </summary>
public sealed record OverrideSyntax(IReadOnlyList<string> Roots, string ExampleKey, string ExampleValue)
{
    /// <summary>Splits <c>path=value</c> at the first '=' and normalizes the path (<see cref="NormalizeKey"/>).</summary>
    public KeyValuePair<string, string> Parse(string assignment, ConfigSource source)
    {
        var eq = assignment.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
            throw new ConfigError($"malformed override '{assignment}' in {source}: expected key=value, e.g. {ExampleKey}={ExampleValue}");
        return new(NormalizeKey(assignment[..eq].Trim()), assignment[(eq + 1)..].Trim());
    }

    /// <summary>Prefixes the first root to a key path that names no top-level block.</summary>
    public string NormalizeKey(string key) =>
        Roots.Any(r => key.StartsWith(r + ".", StringComparison.Ordinal)) ? key : Roots[0] + "." + key;

    /// <summary>A layer of <c>path=value</c> assignments, as <c>--set</c> gives them.</summary>
    public ConfigLayer Layer(IEnumerable<string> assignments, ConfigSource source) =>
        Layer(assignments.Select(a => Parse(a, source)), source);

    /// <summary>
    /// A layer of overrides whose paths are split from their values already. A value in brackets
    /// is a HOCON list and one in double quotes a HOCON string; anything else is text, verbatim.
    /// </summary>
    public ConfigLayer Layer(IEnumerable<KeyValuePair<string, string>> overrides, ConfigSource source)
    {
        var text = new StringBuilder();
        foreach (var (written, value) in overrides)
        {
            var key = NormalizeKey(written);
            var segments = HoconText.SplitPath(key.Trim())
                ?? throw new ConfigError($"malformed key '{UserText.Shorten(key)}' in {source}: expected a dotted key path such as {Roots[0]}.{ExampleKey}");
            if (segments.Count > HoconText.MaxDepth)
                throw new ConfigError($"malformed key '{UserText.Shorten(key)}' in {source}: more than {HoconText.MaxDepth} segments");
            var trimmed = value.Trim();
            var isHocon = trimmed.StartsWith('[') || trimmed.StartsWith('"');
            // A list or quoted value is checked on its own, so that its error names the key and
            // quotes what was typed rather than the blocks it is wrapped in below.
            if (isHocon && ValueProblem(trimmed) is { } problem)
                throw new ConfigError($"malformed value '{UserText.Shorten(value)}' for {JoinedKey(segments)} in {source}: {problem}");
            var hoconValue = isHocon ? trimmed : HoconText.Quote(value);
            // Nested blocks rather than a dotted path, so that every segment is quoted exactly as given.
            foreach (var segment in segments) text.Append(HoconText.Quote(segment)).Append(" { ");
            text.Length -= 3;
            text.Append(" = ").Append(hoconValue);
            text.Append(new string('}', segments.Count - 1)).Append('\n');
        }
        return ConfigLayer.Parse(text.ToString(), source, Roots);
    }

    private static string JoinedKey(IReadOnlyList<string> segments) => UserText.Shorten(HoconText.JoinPath(segments));

    // The problem with a value typed as HOCON, alone on the right of a key; null when it parses.
    private static string? ValueProblem(string value) =>
        HoconText.TryParse("v = " + value, out var problem) is null
            ? problem!.Replace(" opened at line 1", "", StringComparison.Ordinal).Replace(" at line 1", "", StringComparison.Ordinal)
            : null;
}
