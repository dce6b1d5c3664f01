using System.Globalization;
using ActorKernel.Actors.Engine;

namespace ActorKernel.Cli;

/// <summary>The arguments of `actorkernel explore`.</summary>
/// <param name="ExperimentFile">The experiment file.</param>
/// <param name="Overrides">--set, --seed as KEY=VALUE overrides.</param>
/// <param name="Property">What must hold in every run.</param>
/// <param name="Strategy">--strategy (default portfolio).</param>
/// <param name="Iterations">--iterations (default 100).</param>
/// <param name="OutDir">--out; null for out/&lt;experiment&gt;-explore.</param>
public sealed record ExploreArguments(string ExperimentFile, IReadOnlyList<string> Overrides, PropertyExpression Property, ExplorationStrategy Strategy, int Iterations, string? OutDir)
{
    public const string Usage = "actorkernel explore FILE --property EXPR [--strategy random|pct:D|delay:K|portfolio] [--iterations N] [--out DIR] [--seed N] [--set KEY=VALUE]...";

    public const int MaxIterations = 100_000;

    public static ExploreArguments Parse(IReadOnlyList<string> args)
    {
        string? file = null, outDir = null;
        PropertyExpression? property = null;
        var strategy = new ExplorationStrategy(StrategyKind.Portfolio, 0);
        var iterations = 100;
        var overrides = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            switch (a)
            {
                case "--property":
                    property = PropertyExpression.Parse(Value(args, ref i, a));
                    break;
                case "--strategy":
                {
                    var s = Value(args, ref i, a);
                    if (!ExplorationStrategy.TryParse(s, out strategy)) throw new CliError($"--strategy expects {ExplorationStrategy.Expected}, got '{s}'");
                    break;
                }
                case "--iterations":
                {
                    var v = Value(args, ref i, a);
                    if (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < 1 || iterations > MaxIterations)
                        throw new CliError($"--iterations expects a whole number from 1 to {MaxIterations}, got '{v}'");
                    break;
                }
                case "--out":
                    outDir = Value(args, ref i, a);
                    if (outDir.Length == 0) throw new CliError("--out needs a folder name, got an empty string");
                    break;
                case "--seed":
                    overrides.Add("experiment.seed=" + Value(args, ref i, a));
                    break;
                case "--set":
                {
                    var kv = Value(args, ref i, a);
                    if (!kv.Contains('=') || kv.StartsWith('='))
                        throw new CliError($"--set expects KEY=VALUE (e.g. --set workload.fork-exec.spawn=vfork), got '{kv}'");
                    overrides.Add(kv);
                    break;
                }
                default:
                    if (a.StartsWith('-')) throw new CliError($"unknown option '{a}' for explore; usage: {Usage}");
                    if (file is not null) throw new CliError($"explore takes one experiment file, got '{file}' and '{a}'; usage: {Usage}");
                    if (!File.Exists(a) && !Directory.Exists(a)) throw new CliError($"experiment file '{a}' does not exist");
                    file = a;
                    break;
            }
        }
        if (file is null) throw new CliError($"explore needs an experiment file; usage: {Usage}");
        if (property is null) throw new CliError($"explore needs --property EXPR (e.g. 'reads.failed == 0'); usage: {Usage}");
        return new ExploreArguments(file, overrides, property, strategy, iterations, outDir);
    }

    private static string Value(IReadOnlyList<string> args, ref int i, string option)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            throw new CliError($"{option} needs a value; usage: {Usage}");
        return args[++i];
    }
}
