using System.Globalization;
using System.Text.Json;

namespace ActorKernel.Cli;

/// <summary>
/// The property language of <c>actorkernel explore --property</c>: comparisons of a run's figures with
/// numbers, joined by <c>and</c> (binding tighter) and <c>or</c>. A name is a dotted path into a run's
/// metrics as runs.jsonl and results.json write them (<c>reads.failed</c>, <c>probeLatencyNs.max</c>,
/// <c>reads.byCause.mmap-lock-contended</c>, <c>policy.delay.max</c>, …) or a run's own
/// <c>events</c>/<c>virtualTimeNs</c>; a cause or target the run never saw counts 0.
/// Example: <c>reads.failed == 0 or probeLatencyNs.max &lt; 20000</c>.
/// </summary>
public sealed class PropertyExpression
{
    private static readonly string[] Operators = ["<=", ">=", "==", "!=", "<", ">"];
    // Maps whose keys are names the run happened to see: a missing key there is a zero count.
    private static readonly string[] SparseMaps = ["reads.byCause.", "reads.byTarget."];

    private readonly IReadOnlyList<IReadOnlyList<Comparison>> _anyOf;

    private PropertyExpression(string text, IReadOnlyList<IReadOnlyList<Comparison>> anyOf)
    {
        Text = text;
        _anyOf = anyOf;
    }

    public string Text { get; }

    private sealed record Comparison(string Path, string Op, double Value);

    /// <summary>Parses <paramref name="text"/>; a <see cref="CliError"/> names what is wrong.</summary>
    public static PropertyExpression Parse(string text)
    {
        var tokens = text.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0) throw new CliError("--property needs an expression such as 'reads.failed == 0'");
        var anyOf = new List<IReadOnlyList<Comparison>>();
        var allOf = new List<Comparison>();
        for (var i = 0; i < tokens.Length;)
        {
            if (i + 3 > tokens.Length)
                throw new CliError($"--property '{text}': expected NAME OP NUMBER after '{string.Join(' ', tokens[..i])}' (OP one of {string.Join(", ", Operators)})");
            var (path, op, number) = (tokens[i], tokens[i + 1], tokens[i + 2]);
            if (!path.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_') || !char.IsAsciiLetter(path[0]))
                throw new CliError($"--property '{text}': '{path}' is not a metric name (a dotted path such as reads.failed)");
            if (!Operators.Contains(op))
                throw new CliError($"--property '{text}': '{op}' is not a comparison; expected one of {string.Join(", ", Operators)}");
            if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                throw new CliError($"--property '{text}': '{number}' is not a number");
            allOf.Add(new Comparison(path, op, value));
            i += 3;
            if (i == tokens.Length) break;
            switch (tokens[i])
            {
                case "and":
                    break;
                case "or":
                    anyOf.Add(allOf);
                    allOf = new List<Comparison>();
                    break;
                default:
                    throw new CliError($"--property '{text}': expected 'and' or 'or' before '{tokens[i]}'");
            }
            if (++i == tokens.Length) throw new CliError($"--property '{text}': '{tokens[i - 1]}' needs a comparison after it");
        }
        anyOf.Add(allOf);
        return new PropertyExpression(text, anyOf);
    }

    /// <summary>
    /// Whether the run (its runs.jsonl line) satisfies the property. A name the run's figures do not have
    /// is a <see cref="CliError"/> (checked on the first run, before anything is written).
    /// </summary>
    public bool Holds(string runRecordLine)
    {
        using var doc = JsonDocument.Parse(runRecordLine);
        return _anyOf.Any(all => all.All(c => Compare(Value(doc.RootElement, c.Path), c.Op, c.Value)));
    }

    private static double Value(JsonElement record, string path)
    {
        if (record.TryGetProperty("metrics", out var metrics) && metrics.ValueKind == JsonValueKind.Object && Find(metrics, path) is { } v) return v;
        if (Find(record, path) is { } top) return top;
        if (SparseMaps.Any(m => path.StartsWith(m, StringComparison.Ordinal))) return 0;
        throw new CliError($"--property: a run has no figure '{path}' (names as in runs.jsonl's metrics, e.g. reads.failed, probeLatencyNs.max, faults.minor, fork.count, execs)");
    }

    private static double? Find(JsonElement e, string path)
    {
        // Keys may contain '-' but not '.', so the path splits cleanly at dots.
        foreach (var part in path.Split('.'))
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(part, out e)) return null;
        }
        return e.ValueKind == JsonValueKind.Number ? e.GetDouble() : null;
    }

    private static bool Compare(double actual, string op, double value) => op switch
    {
        "<" => actual < value,
        "<=" => actual <= value,
        ">" => actual > value,
        ">=" => actual >= value,
        "==" => actual == value,
        _ => actual != value,
    };
}
