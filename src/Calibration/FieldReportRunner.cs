using System.Runtime.InteropServices;
using ActorKernel.Actors.Workloads;
using ActorKernel.Model;

namespace ActorKernel.Calibration;

/// <summary>
/// The field-reports case: builds libak_helper.so and field_reports from their embedded sources (in a
/// temporary directory, removed afterwards), runs each variant's processes one after another under
/// calibration/field_reports.bt, and the model once per variant. Needs <see cref="CalibrationHost.Missing"/> empty.
/// </summary>
public sealed class FieldReportRunner : IDisposable
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(2);

    private readonly CalibrationHost _host;
    private readonly TextWriter _progress;
    private readonly string _work = Directory.CreateTempSubdirectory("actorkernel-field-reports-").FullName;
    private string? _reproducer;
    private string? _script;

    public FieldReportRunner(CalibrationHost host, TextWriter progress)
    {
        _host = host;
        _progress = progress;
    }

    public void Dispose()
    {
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>This machine's glibc as "major.minor" (gnu_get_libc_version()), the model's workload.fork-exec.libc-version.</summary>
    public static string GlibcVersion()
    {
        var full = Marshal.PtrToStringUTF8(gnu_get_libc_version()) ?? throw new CalibrationFailed("gnu_get_libc_version() returned nothing");
        var parts = full.Split('.');
        return parts.Length >= 2 ? $"{parts[0]}.{parts[1]}" : throw new CalibrationFailed($"cannot read the glibc version '{full}'");
    }

    /// <summary>Every variant on both sides: <paramref name="trials"/> processes each (lib-fork: one process, trials forks).</summary>
    public IReadOnlyList<FieldReportRow> Run(IReadOnlyList<FieldReportVariant> variants, int trials)
    {
        Prepare();
        var rows = new List<FieldReportRow>();
        // The rows of one shell (system, popen) split one measurement, and its first-call rows one model run per libc placement.
        var shells = new Dictionary<string, IReadOnlyList<(IReadOnlyList<FieldReportProbeLine>, ShellLiterals?)>>(StringComparer.Ordinal);
        var lostAtByShell = new Dictionary<string, IReadOnlyList<bool>>(StringComparer.Ordinal);
        foreach (var v in variants)
        {
            IReadOnlyList<(IReadOnlyList<FieldReportProbeLine> Lines, ShellLiterals? Shell)> processes;
            if (v.IsShell)
            {
                var name = v.ReproducerArguments[1];
                if (!shells.TryGetValue(name, out var shell))
                {
                    _progress.WriteLine($"  {name}(): real kernel, {trials} processes");
                    shells[name] = shell = MeasureReal(v, trials);
                }
                processes = shell;
            }
            else
            {
                _progress.WriteLine($"  {v.Name}: real kernel, {(v.OneProcess ? 1 : trials)} process(es)");
                processes = MeasureReal(v, v.OneProcess ? 1 : trials);
            }
            _progress.WriteLine($"  {v.Name}: model");
            var real = FieldReportOutput.Count(v.Read, processes);
            var shellLines = processes.Select(p => p.Shell).OfType<ShellLiterals>().ToArray();
            if (!v.IsShellFirstCall)
            {
                rows.Add(new FieldReportRow(v, real, RunModel(v), shellLines));
                continue;
            }
            if (!lostAtByShell.TryGetValue(v.ReproducerArguments[1], out var lostAt))
                lostAtByShell[v.ReproducerArguments[1]] = lostAt = ModelFirstCallByWindowIndex(v);
            var firstCalls = FieldReportOutput.FirstCalls(v.Read, processes);
            var agreement = firstCalls.Select(f => LostAt(lostAt, v, f.WindowIndex) == f.Lost).ToArray();
            var model = v.Read == FieldReportRead.ShellFirstAll
                ? new FailureCount(lostAt.Count(l => l), lostAt.Count)
                : new FailureCount(firstCalls.Count(f => LostAt(lostAt, v, f.WindowIndex)), firstCalls.Count);
            rows.Add(new FieldReportRow(v, real, model, shellLines, agreement));
        }
        return rows;
    }

    /// <summary>
    /// The model's first system() call with libc placed so that the shell literals' page has
    /// <paramref name="windowIndex"/> in its fault-around window, as the reproducer measured for a process
    /// (image.libc-load-offset-pages, GlibcPosixSpawn): whether the probe loses the filename.
    /// </summary>
    public static bool ModelLosesFirstCall(FieldReportVariant v, int windowIndex)
    {
        var first = v.ModelOverrides.Append("workload.fork-exec.execs=1").ToArray();
        var settings = Actors.Configuration.SettingsLoader.Load(null, first);
        var window = FaultAroundWindow.Of(settings.Mm.FaultAroundBytes);
        var offset = GlibcPosixSpawn.LoadOffsetForLiteralsWindowIndex(settings.Image, window, windowIndex);
        var c = Count(RunModelOnce(v, [.. first, $"image.libc-load-offset-pages={offset.ToString(System.Globalization.CultureInfo.InvariantCulture)}"]), ProbeTargets.Filename);
        if (c.Trials != 1) throw new CalibrationFailed($"{v.Name}: the model's first call made {c.Trials} filename reads, not 1");
        return c.Failed == 1;
    }

    /// <summary>
    /// The model's first call for each libc placement in a fault-around window, by the literals' window index
    /// (ASLR makes them equally likely, so the lost fraction is the model's prediction for a random process).
    /// </summary>
    public static IReadOnlyList<bool> ModelFirstCallByWindowIndex(FieldReportVariant v)
    {
        var window = FaultAroundWindow.Of(Actors.Configuration.SettingsLoader.Load(null, v.ModelOverrides.ToArray()).Mm.FaultAroundBytes);
        return Enumerable.Range(0, window.Pages).Select(i => ModelLosesFirstCall(v, i)).ToArray();
    }

    private static bool LostAt(IReadOnlyList<bool> lostAt, FieldReportVariant v, int windowIndex) =>
        windowIndex >= 0 && windowIndex < lostAt.Count
            ? lostAt[windowIndex]
            : throw new CalibrationFailed($"{v.Name}: the reproducer's window index {windowIndex} is outside the model's {lostAt.Count}-page fault-around window");

    /// <summary>
    /// The model's reads for the variant, one run: openat is one process making the calls (the kernel
    /// side runs one such process per trial), execve one process per call, lib-fork one process
    /// forking; the shell's later calls are a run of <see cref="FieldReportVariant.Calls"/> execs less its
    /// first. Fractions are compared, so the model need not repeat a deterministic process.
    /// </summary>
    public static FailureCount RunModel(FieldReportVariant v)
    {
        if (v.IsShellFirstCall) throw new ArgumentException($"{v.Name}: a first-call row is modelled per process (ModelLosesFirstCall)", nameof(v));
        var target = v.Read is FieldReportRead.OpenatStr or FieldReportRead.OpenatFixed ? LiteralSyscallWorkload.PathTarget : ProbeTargets.Filename;
        var c = Count(RunModelOnce(v, v.ModelOverrides), target);
        if (v.Read != FieldReportRead.ShellLater) return c;
        var first = Count(RunModelOnce(v, [.. v.ModelOverrides, "workload.fork-exec.execs=1"]), target);
        return new FailureCount(c.Failed - first.Failed, c.Trials - first.Trials);
    }

    /// <summary>An architecture row's model side: the forked child's heap strings, failed / execs.</summary>
    public static FailureCount RunModel(ArchitectureRow row) =>
        Count(CalibrationRunner.RunModelOnce("calibrate-architecture", row.ModelOverrides, row.Name), ProbeTargets.Filename);

    private static Actors.Metrics.RunMetrics RunModelOnce(FieldReportVariant v, IReadOnlyList<string> overrides) =>
        CalibrationRunner.RunModelOnce("calibrate-field-reports", overrides, v.Name);

    private static FailureCount Count(Actors.Metrics.RunMetrics metrics, string target) =>
        metrics.ByTarget.TryGetValue(target, out var t) ? new FailureCount((int)t.Failed, (int)t.Total) : new FailureCount(0, 0);

    private void Prepare()
    {
        if (_reproducer is not null) return;
        var lib = Path.Combine(_work, "ak_helper.c");
        var source = Path.Combine(_work, "field_reports.c");
        File.WriteAllText(lib, CalibrationRunner.Resource("ActorKernel.calibration.ak_helper.c"));
        File.WriteAllText(source, CalibrationRunner.Resource("ActorKernel.calibration.field_reports.c"));
        _script = Path.Combine(_work, "field_reports.bt");
        File.WriteAllText(_script, CalibrationRunner.Resource("ActorKernel.calibration.field_reports.bt"));
        var (code, output) = CalibrationRunner.RunToEnd(_host.CcPath!, ["-O1", "-shared", "-fPIC", "-o", Path.Combine(_work, "libak_helper.so"), lib], TimeSpan.FromMinutes(2));
        if (code != 0)
            throw new CalibrationFailed($"cc could not build calibration/ak_helper.c (exit {code}): {CalibrationRunner.FirstLine(output)}");
        // Named field_reports: the script filters on that comm.
        var binary = Path.Combine(_work, "field_reports");
        // It dlopen()s libak_helper.so from its own directory.
        (code, output) = CalibrationRunner.RunToEnd(_host.CcPath!, ["-O1", "-o", binary, source], TimeSpan.FromMinutes(2));
        if (code != 0)
            throw new CalibrationFailed($"cc could not build calibration/field_reports.c (exit {code}): {CalibrationRunner.FirstLine(output)}");
        _reproducer = binary;
    }

    // The processes one after another, each one's probe lines waited for before the next starts, so
    // the lines of one process are the ones that arrived while it ran.
    private List<(IReadOnlyList<FieldReportProbeLine>, ShellLiterals?)> MeasureReal(FieldReportVariant v, int processes)
    {
        using var bpftrace = new BpftraceSession<FieldReportProbeLine>(_host.BpftracePath!, _script!,
            line => FieldReportOutput.ParseLine(line) is { } l ? [l] : [],
            new Dictionary<string, string> { ["BPFTRACE_STRLEN"] = FieldReportVariant.FixedReadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        bpftrace.WaitAttached();
        var perProcess = v.ReproducerArguments[0] == "literal-openat" ? 2 * v.CallsPerProcess : v.CallsPerProcess;
        var result = new List<(IReadOnlyList<FieldReportProbeLine>, ShellLiterals?)>();
        var seen = 0;
        for (var p = 0; p < processes; p++)
        {
            var (code, output) = CalibrationRunner.RunToEnd(_reproducer!, v.ReproducerArguments, ProcessTimeout);
            if (code != 0)
                throw new CalibrationFailed($"the field-reports reproducer failed on {v.Name} (exit {code}): {CalibrationRunner.FirstLine(output)}");
            bpftrace.WaitFor(seen + perProcess, DrainTimeout);
            var all = bpftrace.Observations();
            result.Add((all.Skip(seen).ToArray(), FieldReportOutput.ParseShell(output)));
            seen = all.Count;
        }
        if (seen != processes * perProcess)
            _progress.WriteLine($"  {v.Name}: bpftrace printed {seen} lines of {processes * perProcess}");
        return result;
    }

    [DllImport("libc", SetLastError = false)]
    private static extern IntPtr gnu_get_libc_version();
}
