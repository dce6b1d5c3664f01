using System.Text;
using ActorKernel.Calibration;
using ActorKernel.TestKit.ScenarioFiles;

namespace ActorKernel.Cli;

/// <summary>`actorkernel calibrate --scenario FILE`: one scenario file in the model and on this machine's kernel, its probe reads compared one by one. Writes nothing.</summary>
public static class CalibrateScenarioCommand
{
    public static int Execute(string path, bool requireAgreement, CalibrationHost host, TextWriter stdout, TextWriter stderr)
    {
        ScenarioFile file;
        try
        {
            file = ScenarioFileParser.ParseFile(path);
        }
        catch (ScenarioFileException e)
        {
            throw new CliError(e.Line == 0 ? e.Message.Replace("line 0: ", "", StringComparison.Ordinal) : $"{path}: {e.Message}");
        }
        if (ScenarioRunnerHeader.Unsupported(file) is { } why)
            throw new CliError($"{path} cannot run on the real kernel: {why}");
        var missing = host.Missing();
        if (missing.Count > 0)
            throw new CliError("calibrate cannot run here: " + string.Join("; ", missing));

        IReadOnlyList<ScenarioReadRow> rows;
        try
        {
            stderr.WriteLine($"{path}: model");
            var model = ScenarioCalibration.RunModel(file);
            stderr.WriteLine($"{path}: real kernel {CalibrationRunner.KernelRelease()}");
            var real = ScenarioCalibration.RunReal(host, path, file, stderr);
            rows = ScenarioReads.Pair(real, model);
        }
        catch (CalibrationFailed e)
        {
            stderr.WriteLine($"actorkernel: calibration failed: {e.Message}");
            return 1;
        }
        stdout.Write(Table(rows));
        var agree = rows.Count(r => r.Agrees);
        stdout.WriteLine($"{agree} of {rows.Count} reads agree.");
        return agree < rows.Count && requireAgreement ? 1 : 0;
    }

    /// <summary>One line per probe read: the exec (in order), what was read, the real kernel's and the model's outcome, agreement.</summary>
    public static string Table(IReadOnlyList<ScenarioReadRow> rows)
    {
        string[] headers = ["exec", "read", "real kernel", "model", "agree"];
        var cells = rows.Select(r => new[] { r.Exec.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Target, r.Real.ToString(), r.Model.ToString(), r.Agrees ? "yes" : "NO" }).ToArray();
        var widths = headers.Select((h, i) => Math.Max(h.Length, cells.Length == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();
        var sb = new StringBuilder();
        void Line(IReadOnlyList<string> c) => sb.AppendLine(string.Join("  ", c.Select((x, i) => x.PadRight(widths[i]))).TrimEnd());
        Line(headers);
        Line(widths.Select(w => new string('-', w)).ToArray());
        foreach (var c in cells) Line(c);
        return sb.ToString();
    }
}
