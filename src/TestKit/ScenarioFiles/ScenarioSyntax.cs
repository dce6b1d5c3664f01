using System.Globalization;
using ActorKernel.Model;

namespace ActorKernel.TestKit.ScenarioFiles;

/// <summary>The words of the scenario format shared by the parser and the writer: region names, durations, names.</summary>
public static class ScenarioSyntax
{
    /// <summary>Region names as the file spells them, in <see cref="RegionKind"/> order.</summary>
    public static readonly IReadOnlyList<(string Word, RegionKind Region)> Regions =
    [
        ("text", RegionKind.Text), ("rodata", RegionKind.Rodata), ("relro", RegionKind.Relro), ("data", RegionKind.Data),
        ("bss", RegionKind.Bss), ("heap", RegionKind.Heap), ("stack", RegionKind.Stack), ("libc-text", RegionKind.LibcText),
        ("libc-rodata", RegionKind.LibcRodata), ("libc-data", RegionKind.LibcData), ("vdso", RegionKind.Vdso),
        ("lib-text", RegionKind.LibText), ("lib-rodata", RegionKind.LibRodata),
    ];

    private static readonly (string Unit, long Ns)[] Units = [("s", 1_000_000_000), ("ms", 1_000_000), ("us", 1_000), ("ns", 1)];

    public static string Word(RegionKind region) => Regions.First(r => r.Region == region).Word;

    public static RegionKind? Region(string word) => Regions.FirstOrDefault(r => r.Word == word) is { Word: not null } r ? r.Region : null;

    /// <summary>A duration in the largest unit that divides it exactly (s, ms, us, ns): 1500000 ns is "1500us".</summary>
    public static string Duration(long ns)
    {
        foreach (var (unit, factor) in Units)
            if (ns % factor == 0) return (ns / factor).ToString(CultureInfo.InvariantCulture) + unit;
        throw new ArgumentOutOfRangeException(nameof(ns));
    }

    /// <summary>"10ms" and the like: a non-negative integer and one of s, ms, us, ns; null otherwise.</summary>
    public static long? ParseDuration(string text)
    {
        foreach (var (unit, factor) in Units.OrderByDescending(u => u.Unit.Length))
        {
            if (!text.EndsWith(unit, StringComparison.Ordinal)) continue;
            var digits = text[..^unit.Length];
            if (digits.Length == 0 || !digits.All(char.IsAsciiDigit)) return null;
            if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > long.MaxValue / factor) return null;
            return n * factor;
        }
        return null;
    }

    /// <summary>A name: a letter or '_', then letters, digits, '_', '-', '.'.</summary>
    public static bool IsName(string s) =>
        s.Length > 0 && (char.IsAsciiLetter(s[0]) || s[0] == '_') && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    /// <summary>String text may hold any character but control characters (it runs to the end of its line).</summary>
    public static bool IsText(string s) => !s.Any(char.IsControl);
}
