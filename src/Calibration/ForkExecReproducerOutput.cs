using System.Globalization;
using System.Text.RegularExpressions;

namespace ActorKernel.Calibration;

/// <summary>In how many of the reproducer's cycles the strings page's cache state was really established (evicted, or marked PG_readahead).</summary>
public sealed record CacheStateCount(string State, int Set, int Cycles)
{
    public override string ToString() => $"{Set}/{Cycles}";
}

/// <summary>Parses calibration/fork_exec.c's own output: "strings-page-cache STATE set K/N", printed when the cache state is not warm.</summary>
public static partial class ForkExecReproducerOutput
{
    [GeneratedRegex(@"^strings-page-cache (\S+) set (\d+)/(\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex CacheLine();

    /// <summary>The cache line, or null when the reproducer printed none (warm, or strings not in .rodata).</summary>
    public static CacheStateCount? ParseCacheState(string output)
    {
        var m = CacheLine().Match(output.Replace("\r", "", StringComparison.Ordinal));
        if (!m.Success) return null;
        return new CacheStateCount(m.Groups[1].Value, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture));
    }
}
