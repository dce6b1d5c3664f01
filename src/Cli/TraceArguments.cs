using System.Globalization;

namespace ActorKernel.Cli;

/// <summary>The arguments of `actorkernel trace`.</summary>
public sealed record TraceArguments(string Dir, int Run, string Out)
{
    public const string Usage = "actorkernel trace DIR [--run N] [--out FILE]";

    public static TraceArguments Parse(IReadOnlyList<string> args)
    {
        string? dir = null;
        var run = 0;
        var output = "trace.json";
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            switch (a)
            {
                case "--run":
                    var value = Value(args, ref i, a);
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out run))
                        throw new CliError($"--run expects a whole number from 0, got '{value}'");
                    break;
                case "--out":
                    output = Value(args, ref i, a);
                    break;
                default:
                    if (a.StartsWith('-')) throw new CliError($"unknown option '{a}' for trace; usage: {Usage}");
                    if (dir is not null) throw new CliError($"trace takes one output folder, got '{dir}' and '{a}'; usage: {Usage}");
                    if (!Directory.Exists(a)) throw new CliError($"output folder '{a}' does not exist");
                    dir = a;
                    break;
            }
        }
        if (dir is null) throw new CliError($"trace needs an output folder (written by actorkernel run); usage: {Usage}");
        if (Directory.Exists(output)) throw new CliError($"--out {output} is a folder; give a file name (trace.json)");
        var parent = Path.GetDirectoryName(Path.GetFullPath(output))!;
        if (!Directory.Exists(parent)) throw new CliError($"--out {output}: folder {parent} does not exist");
        if (Path.GetFullPath(parent) == Path.GetFullPath(dir))
            throw new CliError($"--out {output} is inside the output folder {dir}, which holds only the files actorkernel run wrote; write the trace beside it");
        return new TraceArguments(dir, run, output);
    }

    private static string Value(IReadOnlyList<string> args, ref int i, string option)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            throw new CliError($"{option} needs a value; usage: {Usage}");
        return args[++i];
    }
}
