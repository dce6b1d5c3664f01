using System.Text;
using ActorKernel.Experiments.Calibration;
using ActorKernel.Experiments.Results;

namespace ActorKernel.Cli;

/// <summary>`actorkernel calibrate`: check the machine, measure each variant on the real kernel and in the model, print and write the comparison.</summary>
public static class CalibrateCommand
{
    public static int Execute(CalibrateArguments args, CalibrationHost host, TextWriter stdout, TextWriter stderr)
    {
        var missing = host.Missing();
        if (missing.Count > 0)
            throw new CliError("calibrate cannot run here: " + string.Join("; ", missing));

        var outDir = args.OutDir ?? Path.Combine("out", "calibration");
        var rows = new List<CalibrationRow>();
        string bpftraceVersion;
        try
        {
            using var runner = new CalibrationRunner(host, stderr);
            bpftraceVersion = runner.BpftraceVersion();
            foreach (var c in args.Cases)
            {
                stderr.WriteLine($"{c}: {CalibrationCases.VariantsOf(c).Count} variants × {args.Trials} trials, real kernel {CalibrationRunner.KernelRelease()} and model");
                rows.AddRange(runner.Run(c, CalibrationCases.VariantsOf(c), args.Trials));
            }
        }
        catch (CalibrationFailed e)
        {
            stderr.WriteLine($"actorkernel: calibration failed: {e.Message}");
            return 1;
        }

        stdout.Write(Table(rows));
        var json = CalibrationJson.Write(CalibrationRunner.KernelRelease(), bpftraceVersion, args.Trials, rows);
        OutputFolder.Write(outDir, [("calibration.json", Encoding.UTF8.GetBytes(json))]);
        var disagree = rows.Count(r => !r.Agrees);
        stdout.WriteLine($"{rows.Count - disagree} of {rows.Count} variants agree. Wrote {Path.Combine(outDir, "calibration.json")}");
        return disagree > 0 && args.RequireAgreement ? 1 : 0;
    }

    /// <summary>A plain-text table: variant, real filename failures, real argv[0] failures, model filename failures, agreement.</summary>
    public static string Table(IReadOnlyList<CalibrationRow> rows)
    {
        string[] headers = ["variant", "real filename failed", "real argv0 failed", "model filename failed", "agree"];
        var cells = rows.Select(r => new[] { r.Variant.Name, r.RealFilename.ToString(), r.RealArgv0.ToString(), r.ModelFilename.ToString(), r.Agrees ? "yes" : "NO" }).ToArray();
        var widths = headers.Select((h, i) => Math.Max(h.Length, cells.Length == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();
        var sb = new StringBuilder();
        void Line(IReadOnlyList<string> c) => sb.AppendLine(string.Join("  ", c.Select((x, i) => x.PadRight(widths[i]))).TrimEnd());
        Line(headers);
        Line(widths.Select(w => new string('-', w)).ToArray());
        foreach (var c in cells) Line(c);
        return sb.ToString();
    }
}
