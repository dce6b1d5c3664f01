using System.Globalization;
using ActorKernel.Experiments.Explain;

namespace ActorKernel.Cli;

/// <summary>The arguments of `actorkernel explain`.</summary>
public sealed record ExplainArguments(string Dir, int Run, ReadSelector Select, bool Json)
{
    public const string Usage = "actorkernel explain DIR [--run N] [--read K | --first-failed | --target NAME] [--json]";

    public static ExplainArguments Parse(IReadOnlyList<string> args)
    {
        string? dir = null;
        var run = 0;
        int? read = null;
        string? target = null;
        var firstFailed = false;
        var json = false;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            switch (a)
            {
                case "--run":
                    run = Whole(a, Value(args, ref i, a));
                    break;
                case "--read":
                    read = Whole(a, Value(args, ref i, a));
                    break;
                case "--target":
                    target = Value(args, ref i, a);
                    break;
                case "--first-failed":
                    firstFailed = true;
                    break;
                case "--json":
                    json = true;
                    break;
                default:
                    if (a.StartsWith('-')) throw new CliError($"unknown option '{a}' for explain; usage: {Usage}");
                    if (dir is not null) throw new CliError($"explain takes one output folder, got '{dir}' and '{a}'; usage: {Usage}");
                    if (!Directory.Exists(a)) throw new CliError($"output folder '{a}' does not exist");
                    dir = a;
                    break;
            }
        }
        if (dir is null) throw new CliError($"explain needs an output folder (written by actorkernel run); usage: {Usage}");
        if ((read is not null ? 1 : 0) + (firstFailed ? 1 : 0) + (target is not null ? 1 : 0) > 1)
            throw new CliError($"explain takes one of --read K, --first-failed, --target NAME; usage: {Usage}");
        return new ExplainArguments(dir, run, new ReadSelector(read, target), json);
    }

    private static string Value(IReadOnlyList<string> args, ref int i, string option)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            throw new CliError($"{option} needs a value; usage: {Usage}");
        return args[++i];
    }

    private static int Whole(string option, string value)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            throw new CliError($"{option} expects a whole number from 0, got '{value}'");
        return n;
    }
}
