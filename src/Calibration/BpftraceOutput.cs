using System.Globalization;
using System.Text.RegularExpressions;

namespace ActorKernel.Calibration;

/// <summary>One exec seen by calibration/execve.bt: whether its filename and argv[0] reads succeeded.</summary>
public sealed record ExecObservation(int Pid, bool FilenameOk, bool Argv0Ok);

/// <summary>Parses calibration/execve.bt's output: one "exec PID filename_ok=0|1 argv0_ok=0|1" line per exec; every other line (Attaching…, ready, warnings) is ignored.</summary>
public static partial class BpftraceOutput
{
    [GeneratedRegex(@"^exec (\d+) filename_ok=([01]) argv0_ok=([01])\s*$")]
    private static partial Regex ExecLine();

    public static ExecObservation? ParseLine(string line)
    {
        var m = ExecLine().Match(line);
        if (!m.Success) return null;
        return new ExecObservation(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value == "1", m.Groups[3].Value == "1");
    }

    public static IReadOnlyList<ExecObservation> Parse(string text) =>
        text.Split('\n').Select(l => ParseLine(l.TrimEnd('\r'))).OfType<ExecObservation>().ToArray();

    /// <summary>True for the line the script prints once its probes are attached.</summary>
    public static bool IsReady(string line) => line.Trim() == "ready";
}
