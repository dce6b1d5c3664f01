using System.Globalization;
using ActorKernel.Experiments.Configuration;

namespace ActorKernel.Cli;

/// <summary>The arguments of `actorkernel pagemap`.</summary>
public sealed record PagemapArguments(string ExperimentFile, long AtNs, int? Pid, int Run, IReadOnlyList<string> Overrides)
{
    public const string Usage = "actorkernel pagemap FILE --at TIME [--pid N] [--run N] [--seed N] [--set KEY=VALUE]...";

    public static PagemapArguments Parse(IReadOnlyList<string> args)
    {
        string? file = null;
        long? at = null;
        int? pid = null;
        var run = 0;
        var overrides = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            switch (a)
            {
                case "--at":
                    at = Time(Value(args, ref i, a));
                    break;
                case "--pid":
                    pid = (int)Whole(a, Value(args, ref i, a), 1, int.MaxValue);
                    break;
                case "--run":
                    run = (int)Whole(a, Value(args, ref i, a), 0, int.MaxValue);
                    break;
                case "--seed":
                    overrides.Add("experiment.seed=" + Whole(a, Value(args, ref i, a), 0, ExperimentBinder.MaxSeed));
                    break;
                case "--set":
                {
                    var kv = Value(args, ref i, a);
                    if (!kv.Contains('=') || kv.StartsWith('='))
                        throw new CliError($"--set expects KEY=VALUE (e.g. --set workload.numa-idle.threads=2), got '{kv}'");
                    overrides.Add(kv);
                    break;
                }
                default:
                    if (a.StartsWith('-')) throw new CliError($"unknown option '{a}' for pagemap; usage: {Usage}");
                    if (file is not null) throw new CliError($"pagemap takes one experiment file, got '{file}' and '{a}'; usage: {Usage}");
                    if (!File.Exists(a) && !Directory.Exists(a)) throw new CliError($"experiment file '{a}' does not exist");
                    file = a;
                    break;
            }
        }
        if (file is null) throw new CliError($"pagemap needs an experiment file; usage: {Usage}");
        if (at is null) throw new CliError($"pagemap needs --at TIME (e.g. --at 5s, --at 1500ms); usage: {Usage}");
        return new PagemapArguments(file, at.Value, pid, run, overrides);
    }

    // A virtual time: a whole number with a unit s, ms, us or ns (no unit: ns).
    private static long Time(string text)
    {
        var units = new (string Suffix, long Ns)[] { ("ns", 1), ("us", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000) };
        foreach (var (suffix, ns) in units)
        {
            if (!text.EndsWith(suffix, StringComparison.Ordinal)) continue;
            if (long.TryParse(text[..^suffix.Length], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= long.MaxValue / ns)
                return n * ns;
            break;
        }
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var plain)) return plain;
        throw new CliError($"--at expects a virtual time such as 5s, 1500ms, 20us or 1000ns, got '{text}'");
    }

    private static string Value(IReadOnlyList<string> args, ref int i, string option)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            throw new CliError($"{option} needs a value; usage: {Usage}");
        return args[++i];
    }

    private static long Whole(string option, string value, long min, long max)
    {
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            throw new CliError($"{option} expects a whole number from {min} to {(max == ExperimentBinder.MaxSeed ? "2^62" : max.ToString(CultureInfo.InvariantCulture))}, got '{value}'");
        return n;
    }
}
