using System.Globalization;
using System.Text;

namespace ActorKernel.Configuration;

/// <summary>
/// Text the user typed or a file held, made safe to echo in a one-line message: control
/// characters (NUL, BEL, ESC, ...), format characters (bidi overrides such as U+202E, zero-width
/// spaces) and line separators are written as <c>\uXXXX</c>, so a message can neither reorder the
/// terminal's text nor hide or break a line. <see cref="UserError"/> passes every message through it.
/// </summary>
public static class UserText
{
    /// <summary><paramref name="text"/> with every unsafe character written as <c>\uXXXX</c> (a lone surrogate too).</summary>
    public static string Escape(string text)
    {
        if (!text.Any(IsUnsafeOrSurrogate)) return text;
        var sb = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var category = CharUnicodeInfo.GetUnicodeCategory(text, i);
                if (category == UnicodeCategory.Format)
                    sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}\\u{(int)text[i + 1]:X4}");
                else
                    sb.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }
            if (IsUnsafeOrSurrogate(c)) sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            else sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>At most <paramref name="maxChars"/> characters of <paramref name="text"/>, with "…" and the full length when cut (a 100,000-character key is not echoed whole).</summary>
    public static string Shorten(string text, int maxChars = 120) =>
        text.Length <= maxChars ? text : string.Concat(text.AsSpan(0, maxChars), $"… ({text.Length.ToString(CultureInfo.InvariantCulture)} characters)");

    private static bool IsUnsafeOrSurrogate(char c) =>
        char.IsSurrogate(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
