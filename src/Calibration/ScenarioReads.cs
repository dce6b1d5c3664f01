using System.Globalization;
using System.Text.RegularExpressions;
using ActorKernel.Actors.Metrics;
using ActorKernel.Model;

namespace ActorKernel.Calibration;

/// <summary>One exec seen by calibration/scenario.bt: the filename read, and the argv pointer and string reads 0..3.</summary>
public sealed record ScenarioExecObservation(int Pid, bool FilenameOk, IReadOnlyList<bool> ArgvPointerOk, IReadOnlyList<bool> ArgvOk);

/// <summary>One probe read on one side: ok, failed (with the model's cause; the kernel does not say why), or not made (argv strings behind an array that could not be read).</summary>
public sealed record ScenarioReadOutcome(bool Read, bool Ok, FailureCause? Cause)
{
    public static readonly ScenarioReadOutcome NotRead = new(false, false, null);

    public override string ToString() => !Read ? "not read" : Ok ? "ok" : Cause is { } c ? $"failed ({c.ToKebab()})" : "failed";
}

/// <summary>The same read on both sides: exec number (1-based, in order), what was read, and the outcomes.</summary>
public sealed record ScenarioReadRow(int Exec, string Target, ScenarioReadOutcome Real, ScenarioReadOutcome Model)
{
    /// <summary>Both made the read and agree on ok, or neither made it.</summary>
    public bool Agrees => Real.Read == Model.Read && Real.Ok == Model.Ok;
}

/// <summary>Parses the real side (scenario.bt and the runner's exec-call lines) and the model side into per-exec reads, and pairs them.</summary>
public static partial class ScenarioReads
{
    /// <summary>bpftrace reads argv pointers and strings 0..3.</summary>
    public const int ProbedArgv = 4;

    [GeneratedRegex(@"^exec (\d+) filename_ok=([01]) argv_ptr=([01]{4}) argv_ok=([01]{4})\s*$")]
    private static partial Regex ExecLine();

    [GeneratedRegex(@"^exec-call (\d+) (\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex CallLine();

    public static ScenarioExecObservation? ParseProbeLine(string line)
    {
        var m = ExecLine().Match(line);
        if (!m.Success) return null;
        return new ScenarioExecObservation(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value == "1",
            m.Groups[3].Value.Select(c => c == '1').ToArray(), m.Groups[4].Value.Select(c => c == '1').ToArray());
    }

    /// <summary>The runner's "exec-call PID ARGC" lines: each exec's argv length, by pid.</summary>
    public static IReadOnlyDictionary<int, int> ParseCalls(string runnerOutput) =>
        CallLine().Matches(runnerOutput.Replace("\r", "", StringComparison.Ordinal))
            .GroupBy(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => int.Parse(g.Last().Groups[2].Value, CultureInfo.InvariantCulture));

    /// <summary>The real side's reads of each exec, in the model's order: filename, argv-array, then argv[i] for i below min(argc, 4).</summary>
    public static IReadOnlyList<IReadOnlyList<(string Target, ScenarioReadOutcome Outcome)>> RealExecs(IReadOnlyList<ScenarioExecObservation> probe, IReadOnlyDictionary<int, int> argcByPid) =>
        probe.Select(o =>
        {
            var argc = Math.Min(argcByPid.GetValueOrDefault(o.Pid, 1), ProbedArgv);
            var arrayOk = o.ArgvPointerOk.Take(argc).All(ok => ok);
            var reads = new List<(string, ScenarioReadOutcome)>
            {
                (ProbeTargets.Filename, new ScenarioReadOutcome(true, o.FilenameOk, null)),
                (ProbeTargets.ArgvArray, new ScenarioReadOutcome(true, arrayOk, null)),
            };
            for (var i = 0; i < argc; i++)
                reads.Add((ProbeTargets.Argv, arrayOk ? new ScenarioReadOutcome(true, o.ArgvOk[i], null) : ScenarioReadOutcome.NotRead));
            return (IReadOnlyList<(string, ScenarioReadOutcome)>)reads;
        }).ToArray();

    /// <summary>
    /// The model's sys_enter_execve reads grouped by exec: a filename read starts one for its task; the
    /// task's argv-array and argv reads that follow belong to it. Execs are ordered by their filename read.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<(string Target, ScenarioReadOutcome Outcome)>> ModelExecs(IReadOnlyList<ProbeReadCompleted> reads)
    {
        var execs = new List<List<(string, ScenarioReadOutcome)>>();
        var open = new Dictionary<int, List<(string, ScenarioReadOutcome)>>();
        foreach (var r in reads)
        {
            var outcome = new ScenarioReadOutcome(true, r.Ok, r.Cause);
            if (r.Target == ProbeTargets.Filename)
            {
                var exec = new List<(string, ScenarioReadOutcome)> { (r.Target, outcome) };
                execs.Add(exec);
                open[r.TaskId] = exec;
            }
            else if (open.TryGetValue(r.TaskId, out var exec))
                exec.Add((r.Target, outcome));
        }
        return execs;
    }

    /// <summary>
    /// Pairs the sides exec by exec, read by read. Argv reads past the fourth are the model's only
    /// (bpftrace reads four) and are left out; an exec or read one side lacks is a disagreement.
    /// </summary>
    public static IReadOnlyList<ScenarioReadRow> Pair(
        IReadOnlyList<IReadOnlyList<(string Target, ScenarioReadOutcome Outcome)>> real,
        IReadOnlyList<IReadOnlyList<(string Target, ScenarioReadOutcome Outcome)>> model)
    {
        var rows = new List<ScenarioReadRow>();
        for (var e = 0; e < Math.Max(real.Count, model.Count); e++)
        {
            var r = e < real.Count ? real[e] : [];
            var m = e < model.Count ? Capped(model[e]) : [];
            if (r.Count > 0 && m.Count > 0 && m.Count(x => x.Target == ProbeTargets.Argv) == 0 && r.Count(x => x.Target == ProbeTargets.Argv) > 0)
                m = [.. m, .. r.Where(x => x.Target == ProbeTargets.Argv).Select(x => (x.Target, ScenarioReadOutcome.NotRead))];
            for (var i = 0; i < Math.Max(r.Count, m.Count); i++)
            {
                var target = i < r.Count ? r[i].Target : m[i].Target;
                rows.Add(new ScenarioReadRow(e + 1, Label(target, i), i < r.Count ? r[i].Outcome : ScenarioReadOutcome.NotRead, i < m.Count ? m[i].Outcome : ScenarioReadOutcome.NotRead));
            }
        }
        return rows;
    }

    // The model's argv strings beyond what bpftrace reads are not compared.
    private static IReadOnlyList<(string Target, ScenarioReadOutcome Outcome)> Capped(IReadOnlyList<(string Target, ScenarioReadOutcome Outcome)> exec) =>
        exec.Where((x, i) => x.Target != ProbeTargets.Argv || exec.Take(i).Count(y => y.Target == ProbeTargets.Argv) < ProbedArgv).ToArray();

    private static string Label(string target, int index) => target == ProbeTargets.Argv ? $"argv[{index - 2}]" : target;
}
