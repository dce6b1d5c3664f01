using System.Globalization;

namespace ActorKernel.Cli;

/// <summary>The arguments of `actorkernel run`.</summary>
public sealed record RunArguments(string? ExperimentFile, IReadOnlyList<string> Overrides, string? OutDir, int Parallelism)
{
    public const string Usage = "actorkernel run [FILE] [--seed N] [--runs-per-point N] [--set KEY=VALUE]... [--out DIR] [--parallel N]";

    public static RunArguments Parse(IReadOnlyList<string> args)
    {
        string? file = null, outDir = null;
        var overrides = new List<string>();
        var parallelism = Environment.ProcessorCount;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            switch (a)
            {
                case "--seed":
                    overrides.Add("experiment.seed=" + Long(a, Value(args, ref i, a), 0));
                    break;
                case "--runs-per-point":
                    overrides.Add("experiment.runs-per-point=" + Long(a, Value(args, ref i, a), 1));
                    break;
                case "--set":
                {
                    var kv = Value(args, ref i, a);
                    if (!kv.Contains('=') || kv.StartsWith('='))
                        throw new CliError($"--set expects KEY=VALUE (e.g. --set workload.fork-exec.spawn=vfork), got '{kv}'");
                    overrides.Add(kv);
                    break;
                }
                case "--out":
                    outDir = Value(args, ref i, a);
                    break;
                case "--parallel":
                    parallelism = (int)Long(a, Value(args, ref i, a), 1, 1024);
                    break;
                default:
                    if (a.StartsWith('-'))
                        throw new CliError($"unknown option '{a}' for run; usage: {Usage}");
                    if (file is not null)
                        throw new CliError($"run takes one experiment file, got '{file}' and '{a}'; usage: {Usage}");
                    if (!File.Exists(a))
                        throw new CliError($"experiment file '{a}' does not exist");
                    file = a;
                    break;
            }
        }
        return new RunArguments(file, overrides, outDir, parallelism);
    }

    private static string Value(IReadOnlyList<string> args, ref int i, string option)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            throw new CliError($"{option} needs a value; usage: {Usage}");
        return args[++i];
    }

    private static long Long(string option, string value, long min, long max = long.MaxValue)
    {
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            throw new CliError($"{option} expects a whole number from {min} to {(max == long.MaxValue ? "2^62" : max.ToString(CultureInfo.InvariantCulture))}, got '{value}'");
        return n;
    }
}
