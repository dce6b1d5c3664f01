using System.Globalization;
using System.Text.RegularExpressions;

namespace ActorKernel.Calibration;

/// <summary>One expected probe read of a kept regression scenario: exec number (1-based), target as <see cref="ScenarioReadRow.Target"/> labels it, ok or failed.</summary>
public sealed record ScenarioExpectedRead(int Exec, string Target, bool Ok);

/// <summary>
/// The kept regression scenarios (scenarios/regressions/, docs/scenarios.md "Regressions"): shrunk
/// scenarios that once disagreed with the real kernel and now agree. Each states the real kernel's
/// outcome of every compared read in comment lines the parser ignores, one per exec:
/// "# expect exec 1: filename ok, argv-array ok, argv[0] failed, argv[1] failed".
/// </summary>
public static partial class ScenarioRegressions
{
    [GeneratedRegex(@"^\s*# expect exec (\d+):(.*)$")]
    private static partial Regex ExpectLine();

    [GeneratedRegex(@"^(filename|argv-array|argv\[\d+\]) (ok|failed)$")]
    private static partial Regex ExpectedRead();

    /// <summary>The expectations in <paramref name="text"/>, in file order; a malformed expect line throws FormatException naming it.</summary>
    public static IReadOnlyList<ScenarioExpectedRead> Expectations(string text)
    {
        var reads = new List<ScenarioExpectedRead>();
        var lines = text.Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var m = ExpectLine().Match(lines[n]);
            if (!m.Success) continue;
            var exec = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            foreach (var part in m.Groups[2].Value.Split(',', StringSplitOptions.TrimEntries))
            {
                var r = ExpectedRead().Match(part);
                if (!r.Success) throw new FormatException($"line {n + 1}: expected 'TARGET ok|failed' (TARGET filename, argv-array or argv[i]), not '{part}'");
                reads.Add(new ScenarioExpectedRead(exec, r.Groups[1].Value, r.Groups[2].Value == "ok"));
            }
        }
        return reads;
    }

    /// <summary>
    /// Where one side's reads differ from the expectations: a read expected and not made (or made and
    /// not expected), or made with the other outcome. Empty when they match read for read.
    /// <paramref name="side"/> picks the real or the model outcome of each row.
    /// </summary>
    public static IReadOnlyList<string> Mismatches(IReadOnlyList<ScenarioExpectedRead> expected, IReadOnlyList<ScenarioReadRow> rows, Func<ScenarioReadRow, ScenarioReadOutcome> side)
    {
        var made = rows.Where(r => side(r).Read).ToArray();
        var mismatches = new List<string>();
        foreach (var e in expected)
        {
            var row = made.FirstOrDefault(r => r.Exec == e.Exec && r.Target == e.Target);
            if (row is null) mismatches.Add($"exec {e.Exec} {e.Target}: expected {Word(e.Ok)}, not read");
            else if (side(row).Ok != e.Ok) mismatches.Add($"exec {e.Exec} {e.Target}: expected {Word(e.Ok)}, got {side(row)}");
        }
        foreach (var r in made.Where(r => !expected.Any(e => e.Exec == r.Exec && e.Target == r.Target)))
            mismatches.Add($"exec {r.Exec} {r.Target}: read ({side(r)}), not expected");
        return mismatches;
    }

    private static string Word(bool ok) => ok ? "ok" : "failed";
}
