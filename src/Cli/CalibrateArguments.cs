using System.Globalization;
using ActorKernel.Calibration;

namespace ActorKernel.Cli;

/// <summary>The arguments of `actorkernel calibrate`.</summary>
public sealed record CalibrateArguments(IReadOnlyList<string> Cases, int Trials, string? OutDir, bool RequireAgreement, bool AllowSysctl = false, int Seconds = 4, bool AllowSwapfile = false)
{
    public const string Usage = "actorkernel calibrate [--cases fork-exec,numa-idle,memory-pressure] [--trials N] [--seconds N] [--allow-sysctl] [--allow-swapfile] [--out DIR] [--require-agreement]";

    public static CalibrateArguments Parse(IReadOnlyList<string> args)
    {
        var cases = new List<string> { CalibrationCases.ForkExec };
        var trials = 20;
        string? outDir = null;
        var require = false;
        var allowSysctl = false;
        var allowSwapfile = false;
        var seconds = 4;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
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
                default:
                    throw new CliError($"unknown argument '{a}' for calibrate; usage: {Usage}");
            }
        }
        return new CalibrateArguments(cases, trials, outDir, require, allowSysctl, seconds, allowSwapfile);
    }

    private static string Value(IReadOnlyList<string> args, ref int i, string option)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            throw new CliError($"{option} needs a value; usage: {Usage}");
        return args[++i];
    }
}
