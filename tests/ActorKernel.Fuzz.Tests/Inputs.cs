using ActorKernel.Actors.Configuration;
using ActorKernel.Experiments.Configuration;
using CsCheck;

namespace ActorKernel.Fuzz.Tests;

/// <summary>Generators of the inputs the campaign of issue 19 tried: hostile text, keys, values, arguments and mutated experiment files.</summary>
internal static class Inputs
{
    /// <summary>Characters that mean something to HOCON, a shell or a terminal, and a few plain ones.</summary>
    private const string Hostile = "{}[]\"=:$.,#/\\ \t\n\r\u0000\u0007\u001b\u202e\u2066\u200b\u2028\ufeffab1-_+";

    /// <summary>Values that broke something once, or sit at a boundary.</summary>
    private static readonly string[] Notorious =
    [
        "", " ", "null", "[]", "[ ]", "[null]", "[[]]", "[", "]", "{", "}", "{}", "{a=1}", "${a}", "${?HOME}", "\"", "\"\"\"", "\"unclosed",
        "a=b", "a:b", "=", ":", "1e9", "-1", "0", "1", "4096", "65536", "2147483648", "4611686018427387904", "4611686018427387905",
        "9223372036854775807", "9223372036854775808", "99999999999999999999", "NaN", "0x10", "1.5", "on", "maybe", "fork", "nofault",
        "[nofault, nofault]", "[1, [2]]", "[1] [2]", "[a, {b=1}]", "1 2", "include \"x.conf\"", "a\u0000b", "\u202eevil", "\u0007",
        "x\ny", "// comment", "# comment", "/etc/passwd", "..", ".", "a.b", "\"a.b\"", new string('[', 100_000), new string('x', 10_000),
        string.Concat(Enumerable.Repeat("a.", 5000)) + "b",
    ];

    public static readonly Gen<string> HostileText = Gen.String[Gen.Char[Hostile], 0, 12];

    /// <summary>A value: a notorious one, hostile text, a number (often out of range), or a list of those.</summary>
    public static readonly Gen<string> Value = Gen.Frequency<string>(
        (4, Gen.OneOf(Notorious)),
        (3, HostileText),
        (2, Gen.Long.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (1, HostileText.Array[0, 4].Select(items => "[" + string.Join(", ", items) + "]")));

    /// <summary>Every key of both schemas, as full paths.</summary>
    public static readonly string[] SchemaKeys = [.. ActorKernelSchema.Schema.KeyPaths, .. ExperimentBinder.Schema.KeyPaths];

    /// <summary>A key: a real one (full or relative), one with a character changed, a sweep key, or hostile text.</summary>
    public static readonly Gen<string> Key = Gen.Frequency<string>(
        (4, Gen.OneOf(SchemaKeys)),
        (2, Gen.OneOf(SchemaKeys).Select(k => k.StartsWith("actor-kernel.", StringComparison.Ordinal) ? k["actor-kernel.".Length..] : k)),
        (2, Gen.Select(Gen.OneOf(SchemaKeys), Gen.Int[0, 1000], Gen.Char[Hostile], (k, at, c) => k.Remove(at % k.Length, 1).Insert(at % k.Length, c.ToString()))),
        (1, Gen.OneOf(SchemaKeys).Select(k => "experiment.sweep.\"" + k + "\"")),
        (1, HostileText));

    /// <summary>One <c>--set</c> assignment (with '=' and a key, so it passes the argument parser and reaches the configuration).</summary>
    public static readonly Gen<string> Assignment = Gen.Select(Key, Value, (k, v) => k.Length == 0 || k.StartsWith('=') ? "x=" + v : k + "=" + v);

    /// <summary>The shipped experiment files (copied next to the tests), by name.</summary>
    public static readonly IReadOnlyList<string> Experiments =
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "experiments"), "*.conf").Order(StringComparer.Ordinal).Select(File.ReadAllText).ToArray();

    /// <summary>HOCON fragments a mutation inserts.</summary>
    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", "\"", "=", ":", ",", "\n", "${experiment.name}", "null", "[]", "include \"a\"", "\u0000", "\u202e", "#",
        "experiment.policies = [nofault, nofault]\n", "experiment.runs-per-point = 100000\n", "experiment.policies = []\n",
        "actor-kernel.workload.fork-exec.execs = null\n", "name = a=b\n", "akka { }\n", "experiment { sweep { \"spawn\" = [] } }\n",
        "actor-kernel.bogus = 1\n", "\"\"\"", "a.b.c.d.e.f.g = 1\n", new string('{', 70), "experiment.seed = -1\n",
    ];

    /// <summary>One mutation of a file's text at a position chosen by <c>at</c> (taken modulo the length).</summary>
    private static Gen<Func<string, string>> Mutation => Gen.Frequency<Func<string, string>>(
        (3, Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[1, 40], (at, n) => (Func<string, string>)(t => t.Length == 0 ? t : t.Remove(at % t.Length, Math.Min(n, t.Length - at % t.Length))))),
        (4, Gen.Select(Gen.Int[0, int.MaxValue], Gen.OneOf(Fragments), (at, f) => (Func<string, string>)(t => t.Insert(at % (t.Length + 1), f)))),
        (2, Gen.Select(Gen.Int[0, int.MaxValue], HostileText, (at, f) => (Func<string, string>)(t => t.Insert(at % (t.Length + 1), f)))),
        (1, Gen.Int[0, int.MaxValue].Select(at => (Func<string, string>)(t => t[..(at % (t.Length + 1))]))),
        (1, Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], (a, b) => (Func<string, string>)(t => SwapLines(t, a, b)))),
        (1, Gen.Select(Gen.OneOf(SchemaKeys), Value, (k, v) => (Func<string, string>)(t => t + "\n" + k + " = " + v + "\n"))));

    /// <summary>A shipped experiment with one to four mutations, or (rarely) hostile text alone.</summary>
    public static readonly Gen<string> ExperimentFile = Gen.Frequency<string>(
        (9, Gen.Select(Gen.Int[0, 1000], Mutation.Array[1, 4], (which, ms) => ms.Aggregate(Experiments[which % Experiments.Count], (t, m) => m(t)))),
        (1, HostileText.Array[0, 20].Select(parts => string.Concat(parts))));

    private static string SwapLines(string text, int a, int b)
    {
        var lines = text.Split('\n');
        var (i, j) = (a % lines.Length, b % lines.Length);
        (lines[i], lines[j]) = (lines[j], lines[i]);
        return string.Join('\n', lines);
    }
}
