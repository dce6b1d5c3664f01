using System.Globalization;
using ActorKernel.Calibration;

namespace ActorKernel.Cli;

/// <summary>The arguments of `actorkernel calibrate`.</summary>
public sealed record CalibrateArguments(IReadOnlyList<string> Cases, int Trials, string? OutDir, bool RequireAgreement, bool AllowSysctl = false, int Seconds = 4, string? Scenario = null, int? Random = null, ulong Seed = 1, bool AllowSwapfile = false)
{
    public const string Usage = "actorkernel calibrate [--cases fork-exec,numa-idle,memory-pressure,field-reports] [--trials N] [--seconds N] [--allow-sysctl] [--allow-swapfile] [--out DIR] [--require-agreement] | calibrate --scenario FILE [--require-agreement] | calibrate --random N [--seed S] [--out DIR] [--require-agreement]";

    public static CalibrateArguments Parse(IReadOnlyList<string> args)
    {
        var cases = new List<string> { CalibrationCases.ForkExec };
        var trials = 20;
        string? outDir = null;
        var require = false;
        var allowSysctl = false;
        var allowSwapfile = false;
        var seconds = 4;
        string? scenario = null;
        string? caseOption = null;
        int? random = null;
        ulong seed = 1;
        string? seedOption = null;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a is "--cases" or "--trials" or "--seconds" or "--allow-sysctl" or "--allow-swapfile") caseOption ??= a;
            if (a is "--seed") seedOption = a;
            switch (a)
            {
                case "--cases":
                    cases = Value(args, ref i, a).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
                    foreach (var c in cases)
                    {
                        if (!CalibrationCases.All.Contains(c))
                            throw new CliError($"unknown calibration case '{c}'; calibrated cases: {string.Join(", ", CalibrationCases.All)}");
                    }
                    if (cases.Count == 0)
                        throw new CliError($"--cases needs at least one case; calibrated cases: {string.Join(", ", CalibrationCases.All)}");
                    break;
                case "--trials":
                {
                    var v = Value(args, ref i, a);
                    if (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out trials) || trials < 1 || trials > 10000)
                        throw new CliError($"--trials expects a whole number from 1 to 10000, got '{v}'");
                    break;
                }
                case "--seconds":
                {
                    var v = Value(args, ref i, a);
                    if (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out seconds) || seconds < 3 || seconds > 600)
                        throw new CliError($"--seconds expects a whole number from 3 to 600 (reads after the first 2 s are compared), got '{v}'");
                    break;
                }
                case "--allow-sysctl":
                    allowSysctl = true;
                    break;
                case "--allow-swapfile":
                    allowSwapfile = true;
                    break;
                case "--out":
                    outDir = Value(args, ref i, a);
                    break;
                case "--require-agreement":
                    require = true;
                    break;
                case "--scenario":
                    scenario = Value(args, ref i, a);
                    break;
                case "--random":
                {
                    var v = Value(args, ref i, a);
                    if (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > 100000)
                        throw new CliError($"--random expects a whole number from 1 to 100000, got '{v}'");
                    random = n;
                    break;
                }
                case "--seed":
                {
                    var v = Value(args, ref i, a);
                    if (!ulong.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out seed))
                        throw new CliError($"--seed expects a whole number from 0 to {ulong.MaxValue}, got '{v}'");
                    break;
                }
                default:
                    throw new CliError($"unknown argument '{a}' for calibrate; usage: {Usage}");
            }
        }
        if (scenario is not null && random is not null)
            throw new CliError($"--scenario and --random do not go together; usage: {Usage}");
        if (seedOption is not null && random is null)
            throw new CliError($"--seed goes with --random; usage: {Usage}");
        if (random is not null && caseOption is not null)
            throw new CliError($"--random runs random scenarios: {caseOption} does not apply to it; usage: {Usage}");
        if (scenario is not null && (caseOption ?? (outDir is null ? null : "--out")) is { } notForScenario)
            throw new CliError($"--scenario runs one scenario file and prints its reads: {notForScenario} does not apply to it; usage: {Usage}");
        return new CalibrateArguments(cases, trials, outDir, require, allowSysctl, seconds, scenario, random, seed, allowSwapfile);
    }

    private static string Value(IReadOnlyList<string> args, ref int i, string option)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            throw new CliError($"{option} needs a value; usage: {Usage}");
        return args[++i];
    }
}
