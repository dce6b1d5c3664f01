using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using ActorKernel.Actors.Metrics;
using ActorKernel.Experiments.Session;
using ActorKernel.Model;

namespace ActorKernel.Calibration;

/// <summary>The real kernel could not be measured (the compiler or bpftrace failed): one line, for the CLI.</summary>
public sealed class CalibrationFailed : Exception
{
    public CalibrationFailed(string message) : base(message)
    {
    }
}

/// <summary>
/// Runs each variant on the real kernel (calibration/fork_exec.c under calibration/execve.bt) and in
/// the model (policy nofault, execs = trials), and pairs the filename failure counts. Needs
/// <see cref="CalibrationHost.Missing"/> to be empty; the caller checks.
/// </summary>
public sealed partial class CalibrationRunner : IDisposable
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan ReproducerTimeout = TimeSpan.FromMinutes(5);

    private readonly CalibrationHost _host;
    private readonly TextWriter _progress;
    private readonly string _work = Directory.CreateTempSubdirectory("actorkernel-calibrate-").FullName;
    private string? _reproducer;
    private string? _script;

    public CalibrationRunner(CalibrationHost host, TextWriter progress)
    {
        _host = host;
        _progress = progress;
    }

    public void Dispose()
    {
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public static string KernelRelease() =>
        File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : RuntimeInformation.OSDescription;

    public string BpftraceVersion()
    {
        var (code, output) = RunToEnd(_host.BpftracePath!, ["--version"], TimeSpan.FromSeconds(30));
        return code == 0 ? output.Trim() : "unknown";
    }

    public IReadOnlyList<CalibrationRow> Run(string @case, IReadOnlyList<CalibrationVariant> variants, int trials)
    {
        Prepare();
        var rows = new List<CalibrationRow>();
        foreach (var v in variants)
        {
            _progress.WriteLine($"  {v.Name}: real kernel, {trials} trials");
            var (real, cacheSet) = MeasureReal(v, trials);
            _progress.WriteLine($"  {v.Name}: model");
            var model = RunModel(v, trials);
            rows.Add(new CalibrationRow(@case, v,
                new FailureCount(real.Count(o => !o.FilenameOk), real.Count),
                new FailureCount(real.Count(o => !o.Argv0Ok), real.Count),
                model, trials, cacheSet));
        }
        return rows;
    }

    // One model run of a built-in single-point experiment (seed 1, policy nofault) with the variant's overrides.
    internal static Actors.Metrics.RunMetrics RunModelOnce(string name, IReadOnlyList<string> overrides, string variant)
    {
        var text = $$"""
            experiment {
              name = "{{name}}"
              seed = 1
              runs-per-point = 1
              policies = [nofault]
            }
            """;
        var session = ExperimentSession.PrepareText(text, "calibration (built in)", overrides);
        var record = session.Run(1, null, CancellationToken.None).Single();
        return record.Metrics ?? throw new CalibrationFailed($"the model failed on {variant}: {record.Failure}");
    }

    /// <summary>The model's filename reads for the variant: one run, policy nofault, execs = trials.</summary>
    public static FailureCount RunModel(CalibrationVariant v, int trials)
    {
        var metrics = RunModelOnce("calibrate-fork-exec", v.ModelOverrides(trials), v.Name);
        var t = metrics.ByTarget.TryGetValue(ProbeTargets.Filename, out var counts) ? counts : null;
        return t is null ? new FailureCount(0, 0) : new FailureCount((int)t.Failed, (int)t.Total);
    }

    /// <summary>
    /// The numa-idle variants: each on the real kernel (calibration/numa_idle.c under calibration/write.bt,
    /// for <paramref name="seconds"/>) and in the model (same duration); every read of both sides, by
    /// target. kernel.numa_balancing must already be on (the caller's scope).
    /// </summary>
    public IReadOnlyList<NumaIdleRow> RunNumaIdle(IReadOnlyList<NumaIdleVariant> variants, int seconds)
    {
        PrepareNumaIdle();
        var rows = new List<NumaIdleRow>();
        foreach (var v in variants)
        {
            _progress.WriteLine($"  {v.Name}: real kernel, {seconds} s");
            var real = MeasureNumaIdle(v, seconds);
            _progress.WriteLine($"  {v.Name}: model");
            rows.Add(NumaIdleRow.Of(v, seconds, real, RunNumaIdleModel(v, seconds)));
        }
        return rows;
    }

    /// <summary>
    /// The model's reads for the variant, from its timeline: buckets are one probe interval wide
    /// (<see cref="NumaIdleVariant.ModelOverrides"/>), so each holds one round, stamped with the
    /// bucket's start in ms since the run (and the process) started.
    /// </summary>
    public static IReadOnlyList<NumaIdleRead> RunNumaIdleModel(NumaIdleVariant v, int seconds)
    {
        var metrics = RunModelOnce("calibrate-numa-idle", v.ModelOverrides(seconds), $"numa-idle {v.Name}");
        var reads = new List<NumaIdleRead>();
        foreach (var b in metrics.Timeline)
        {
            var atMs = b.StartNs / 1_000_000;
            foreach (var (target, t) in b.ByTarget)
            {
                for (var i = 0; i < t.Failed; i++) reads.Add(new NumaIdleRead(target, atMs, false));
                for (var i = t.Failed; i < t.Reads; i++) reads.Add(new NumaIdleRead(target, atMs, true));
            }
        }
        return reads;
    }

    private string? _numaReproducer;
    private string? _writeScript;

    private void PrepareNumaIdle()
    {
        if (_numaReproducer is not null) return;
        var source = Path.Combine(_work, "numa_idle.c");
        File.WriteAllText(source, Resource("ActorKernel.calibration.numa_idle.c"));
        _writeScript = Path.Combine(_work, "write.bt");
        File.WriteAllText(_writeScript, Resource("ActorKernel.calibration.write.bt"));
        var binary = Path.Combine(_work, "numa_idle");
        var (code, output) = RunToEnd(_host.CcPath!, ["-O1", "-pthread", "-o", binary, source], TimeSpan.FromMinutes(2));
        if (code != 0)
            throw new CalibrationFailed($"cc could not build calibration/numa_idle.c (exit {code}): {FirstLine(output)}");
        _numaReproducer = binary;
    }

    private List<NumaIdleRead> MeasureNumaIdle(NumaIdleVariant v, int seconds)
    {
        using var bpftrace = new BpftraceSession<NumaIdleRead>(_host.BpftracePath!, _writeScript!, NumaIdleProbeOutput.ParseLine);
        bpftrace.WaitAttached();
        var (code, output) = RunToEnd(_numaReproducer!, v.ReproducerArguments(seconds), ReproducerTimeout);
        if (code != 0)
            throw new CalibrationFailed($"the numa-idle reproducer failed on {v.Name} (exit {code}): {FirstLine(output)}");
        // Each round is three reads: idle buffer and arg-start at write(2), the path at openat(2).
        bpftrace.WaitFor(3 * (seconds * 1000 / NumaIdleVariant.IntervalMs), TimeSpan.FromSeconds(3));
        return bpftrace.Observations();
    }

    // Writes the embedded sources to the work directory and builds the reproducer, named fork_exec:
    // the script filters on that comm.
    private void Prepare()
    {
        if (_reproducer is not null) return;
        var source = Path.Combine(_work, "fork_exec.c");
        File.WriteAllText(source, Resource("ActorKernel.calibration.fork_exec.c"));
        _script = Path.Combine(_work, "execve.bt");
        File.WriteAllText(_script, Resource("ActorKernel.calibration.execve.bt"));
        var binary = Path.Combine(_work, "fork_exec");
        var (code, output) = RunToEnd(_host.CcPath!, ["-O1", "-o", binary, source], TimeSpan.FromMinutes(2));
        if (code != 0)
            throw new CalibrationFailed($"cc could not build calibration/fork_exec.c (exit {code}): {FirstLine(output)}");
        _reproducer = binary;
    }

    private (List<ExecObservation> Execs, CacheStateCount? CacheSet) MeasureReal(CalibrationVariant v, int trials)
    {
        using var bpftrace = new BpftraceSession<ExecObservation>(_host.BpftracePath!, _script!,
            line => BpftraceOutput.ParseLine(line) is { } o ? [o] : [],
            new Dictionary<string, string> { ["BPFTRACE_STRLEN"] = "64" });
        bpftrace.WaitAttached();
        var (code, output) = RunToEnd(_reproducer!, v.ReproducerArguments(trials), ReproducerTimeout);
        if (code != 0)
            throw new CalibrationFailed($"the reproducer failed on {v.Name} (exit {code}): {FirstLine(output)}");
        var cacheSet = ForkExecReproducerOutput.ParseCacheState(output);
        bpftrace.WaitFor(trials, DrainTimeout);
        var observations = bpftrace.Observations();
        if (observations.Count != trials)
            _progress.WriteLine($"  {v.Name}: bpftrace saw {observations.Count} execs of {trials}");
        return (observations, cacheSet);
    }

    internal static (int Code, string Output) RunToEnd(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new CalibrationFailed($"{file} did not start");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new CalibrationFailed($"{Path.GetFileName(file)} did not finish within {timeout.TotalSeconds:0} s");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    internal static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "(no output)";

    internal static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{name} is not embedded in ActorKernel.Calibration");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
