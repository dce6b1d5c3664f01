using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace ActorKernel.Calibration;

/// <summary>
/// One bpftrace run for a calibration variant: started on a script, its output lines parsed into
/// observations as they arrive, waited on until its probes are attached, stopped with SIGINT
/// (bpftrace detaches and exits) when disposed. Both cases use it; only the parser differs.
/// </summary>
internal sealed class BpftraceSession<T> : IDisposable
{
    private static readonly TimeSpan AttachTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly List<T> _observations = new();
    private readonly ManualResetEventSlim _ready = new();
    private readonly StringBuilder _stderr = new();

    public BpftraceSession(string bpftrace, string script, Func<string, IEnumerable<T>> parse, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(bpftrace) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(script);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        _process = Process.Start(psi) ?? throw new CalibrationFailed("bpftrace did not start");
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (BpftraceOutput.IsReady(e.Data)) _ready.Set();
            var parsed = parse(e.Data).ToList();
            if (parsed.Count > 0) lock (_observations) _observations.AddRange(parsed);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data);
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Block until bpftrace says its probes are attached; <see cref="CalibrationFailed"/> with its first error otherwise.</summary>
    public void WaitAttached()
    {
        var attach = Stopwatch.StartNew();
        while (!_ready.Wait(100) && !_process.HasExited && attach.Elapsed < AttachTimeout)
        {
        }
        if (!_ready.IsSet)
            throw new CalibrationFailed($"bpftrace did not attach its probes: {FirstError()}");
    }

    /// <summary>bpftrace prints from its perf buffer asynchronously: wait until <paramref name="count"/> observations are in, or <paramref name="timeout"/>.</summary>
    public void WaitFor(int count, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            lock (_observations) if (_observations.Count >= count) return;
            Thread.Sleep(20);
        }
    }

    public List<T> Observations()
    {
        lock (_observations) return _observations.ToList();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _ = Libc.kill(_process.Id, 2); // SIGINT: bpftrace detaches and exits
            if (!_process.WaitForExit(10_000))
                _process.Kill(entireProcessTree: true);
        }
        _process.WaitForExit();
        _process.Dispose();
        _ready.Dispose();
    }

    private string FirstError()
    {
        lock (_stderr)
        {
            var lines = _stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return lines.FirstOrDefault(l => l.StartsWith("ERROR", StringComparison.Ordinal) && !l.Contains("RLIMIT_MEMLOCK", StringComparison.Ordinal))
                ?? lines.FirstOrDefault() ?? "(no output)";
        }
    }
}

internal static class Libc
{
    [DllImport("libc", SetLastError = true)]
    internal static extern int kill(int pid, int sig);
}
