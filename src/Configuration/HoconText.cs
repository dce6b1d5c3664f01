using System.Text.RegularExpressions;
using Akka.Configuration;

namespace ActorKernel.Configuration;

/// <summary>
/// Parsing HOCON text with Akka's reader, made strict. Akka 1.5's parser accepts unbalanced
/// braces and brackets (it silently drops whatever follows a stray <c>}</c>, and overflows the
/// stack on <c>[1 }</c>), recurses once per level of nesting (a key of a thousand dotted
/// segments overflows a thread's stack, and a stack overflow ends the process: it cannot be
/// caught), loops on substitution cycles (<c>a = ${a}</c>) and loops for ever on many characters
/// outside quotes (<c>[\1]</c>, <c>[$]</c>, <c>[:]</c>, <c>a.| = 1</c>). So the text's structure is
/// checked first: brackets balance, nesting is at most <see cref="MaxDepth"/> levels, outside quotes
/// only letters, digits, <c>- _ .</c>, blanks and structure, no substitution and no include; whatever Akka itself still rejects is reported with the first line of its message.
/// Also writes values and keys back as HOCON.
/// </summary>
public static partial class HoconText
{
    /// <summary>The deepest nesting accepted: blocks, lists and dotted key segments together (the deepest key of ActorKernel's schemas has 5).</summary>
    public const int MaxDepth = 64;

    /// <summary>Parses <paramref name="text"/>; throws <see cref="ConfigError"/> naming <paramref name="source"/> if it is malformed.</summary>
    public static Config Parse(string text, ConfigSource source) =>
        TryParse(text, out var problem) ?? throw new ConfigError($"malformed HOCON in {source}: {problem}");

    /// <summary>The parsed <paramref name="text"/>, or null with what is wrong with it in <paramref name="problem"/>.</summary>
    public static Config? TryParse(string text, out string? problem)
    {
        problem = CheckStructure(text);
        if (problem is not null) return null;
        try
        {
            return ConfigurationFactory.ParseString(text);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever Akka's reader throws on text that passed the checks above is still about the text.
            problem = FirstLine(e.Message);
            return null;
        }
    }

    /// <summary>Writes a scalar: bare when it is a plain word or integer, quoted otherwise.</summary>
    public static string Value(string text) => BareWord().IsMatch(text) ? text : Quote(text);

    /// <summary>Writes a value (scalar or list).</summary>
    public static string Value(RawValue value) =>
        value.Text is { } text ? Value(text) : "[" + string.Join(", ", value.Items!.Select(Value)) + "]";

    /// <summary>Writes one key (a single path segment): bare when plain, quoted when it holds dots or other punctuation.</summary>
    public static string Key(string segment) => BareWord().IsMatch(segment) ? segment : Quote(segment);

    /// <summary>A double-quoted HOCON string with JSON escapes.</summary>
    public static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal)
            .Replace("\t", "\\t", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// Splits a key path on dots outside double quotes: <c>experiment.sweep."workload.fork-exec.spawn"</c>
    /// is three segments. Returns null if a segment is empty or a quote is unterminated.
    /// </summary>
    public static IReadOnlyList<string>? SplitPath(string path)
    {
        var segments = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        var wasQuoted = false;
        foreach (var c in path)
        {
            if (c == '"') { quoted = !quoted; wasQuoted = true; }
            else if (c == '.' && !quoted)
            {
                if (current.Length == 0 && !wasQuoted) return null;
                segments.Add(current.ToString());
                current.Clear();
                wasQuoted = false;
            }
            else current.Append(c);
        }
        if (quoted || (current.Length == 0 && !wasQuoted)) return null;
        segments.Add(current.ToString());
        return segments;
    }

    /// <summary>Joins segments into a path, quoting those that need it.</summary>
    public static string JoinPath(IEnumerable<string> segments) => string.Join('.', segments.Select(Key));

    // Brackets, braces and quotes must balance, nesting stays within MaxDepth, and there is no
    // substitution; comments and strings are skipped. Returns the first problem, or null.
    private static string? CheckStructure(string text)
    {
        // Each open bracket with the nesting depth inside it; keyDots counts the dots of the key
        // being written since the last line, comma or bracket (a value's dots count too: harmless).
        var open = new Stack<(char Bracket, int Line, int Depth)>();
        var line = 1;
        var keyDots = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n') { line++; keyDots = 0; continue; }
            if (c == ',') { keyDots = 0; continue; }
            if (c == '#' || (c == '/' && i + 1 < text.Length && text[i + 1] == '/'))
            {
                while (i + 1 < text.Length && text[i + 1] != '\n') i++;
                continue;
            }
            if (c == '"')
            {
                var start = line;
                if (string.CompareOrdinal(text, i, "\"\"\"", 0, 3) == 0)
                {
                    var end = text.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal);
                    if (end < 0) return $"the \"\"\" string opened at line {start} is never closed";
                    line += CountLines(text, i, end);
                    i = end + 2;
                    continue;
                }
                for (i++; i < text.Length && text[i] != '"'; i++)
                {
                    if (text[i] == '\n') return $"the string opened at line {start} is not closed on that line";
                    if (text[i] == '\\') i++;
                }
                if (i >= text.Length) return $"the string opened at line {start} is never closed";
                continue;
            }
            if (c == '$' && i + 1 < text.Length && text[i + 1] == '{')
                return $"substitution ${{...}} at line {line} is not supported (a cycle such as a = ${{a}} would never end, and an environment variable would make results depend on the machine): write the value";
            // Akka's reader loops for ever on many characters outside quotes ([\1], [$], [:], a = `, a.| = 1,
            // a = {b = |}); HOCON forbids most of them unquoted anyway. Only plain text and structure pass.
            if (!IsUnquoted(c))
                return $"'{c}' at line {line} must be inside a quoted string: quote the value (\"...\")";
            if (c is '=' or ':' && open.Count > 0 && open.Peek().Bracket == '[')
                return $"'{c}' at line {line} is inside a list, which holds values only: quote an item that contains it";
            if (c == '.')
            {
                // A dotted key is one level per segment, as a block is.
                if (Depth(open) + ++keyDots + 1 > MaxDepth) return TooDeep(line);
                continue;
            }
            if (c is '{' or '[')
            {
                open.Push((c, line, Depth(open) + keyDots + 1));
                keyDots = 0;
                if (open.Peek().Depth > MaxDepth) return TooDeep(line);
                continue;
            }
            if (c is '}' or ']')
            {
                keyDots = 0;
                if (open.Count == 0) return $"'{c}' at line {line} closes nothing";
                var (bracket, openedAt, _) = open.Pop();
                if ((bracket == '{') != (c == '}'))
                    return $"'{c}' at line {line} does not match the '{bracket}' opened at line {openedAt}";
            }
        }
        if (open.Count > 0)
        {
            var (bracket, openedAt, _) = open.Peek();
            return $"the '{bracket}' opened at line {openedAt} is never closed";
        }
        return IncludeDirective().Match(text) is { Success: true } m
            ? $"include at line {CountLines(text, 0, m.Index) + 1} is not supported (Akka's include is unreliable): write the settings in this file"
            : null;
    }

    // Letters, digits, '-', '_', '.', blanks and the structure { } [ ] , = : (what every shipped file uses outside quotes).
    private static bool IsUnquoted(char c) =>
        char.IsLetterOrDigit(c) || c is ' ' or '\t' or '\r' or '-' or '_' or '.' or '{' or '}' or '[' or ']' or '=' or ':';

    private static int Depth(Stack<(char Bracket, int Line, int Depth)> open) => open.Count == 0 ? 0 : open.Peek().Depth;

    private static string TooDeep(int line) =>
        $"nesting deeper than {MaxDepth} levels (blocks, lists and dotted key segments) at line {line}";

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return (end < 0 ? message : message[..end]).Trim();
    }

    private static int CountLines(string text, int from, int to)
    {
        var n = 0;
        for (var i = from; i < to; i++) if (text[i] == '\n') n++;
        return n;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex BareWord();

    [GeneratedRegex(@"^[ \t]*include\b", RegexOptions.Multiline)]
    private static partial Regex IncludeDirective();
}
