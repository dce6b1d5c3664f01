using System.Runtime.InteropServices;

namespace ActorKernel.Calibration;

/// <summary>
/// kernel.numa_balancing for the numa-idle calibration. <see cref="Enable"/> sets it to 1 and returns
/// a scope that ALWAYS writes the previous value back: on Dispose (the caller's finally), on the
/// signals that end a process by default (<see cref="RestoringSignals"/>: Ctrl-C, Ctrl-\, kill, a
/// closed terminal) and at process exit (AppDomain.ProcessExit). Restoring twice is harmless.
/// </summary>
public sealed class NumaBalancingSysctl : IDisposable
{
    public const string DefaultPath = "/proc/sys/kernel/numa_balancing";

    /// <summary>
    /// Each gets a handler that restores and lets the signal go on to end the process. SIGTERM needs
    /// its own: it does not reliably raise AppDomain.ProcessExit (measured with .NET 10 on Linux: with
    /// a Console.CancelKeyPress handler registered, a SIGTERM ended the process without it;
    /// NumaBalancingSysctlRestoreTests).
    /// </summary>
    public static readonly IReadOnlyList<PosixSignal> RestoringSignals = [PosixSignal.SIGINT, PosixSignal.SIGQUIT, PosixSignal.SIGTERM, PosixSignal.SIGHUP];

    private readonly string _path;
    private readonly string _previous;
    private readonly PosixSignalRegistration[] _signals;
    private int _restored;

    private NumaBalancingSysctl(string path, string previous)
    {
        _path = path;
        _previous = previous;
        _signals = RestoringSignals.Select(s => PosixSignalRegistration.Create(s, _ => Restore())).ToArray();
        AppDomain.CurrentDomain.ProcessExit += OnExit;
    }

    /// <summary>The current value, or null when the file cannot be read (no NUMA balancing in this kernel).</summary>
    public static string? Read(string path = DefaultPath)
    {
        try { return File.ReadAllText(path).Trim(); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    public string Previous => _previous;

    /// <summary>Sets the sysctl to 1 (when it is not already non-zero) and returns the restoring scope.</summary>
    public static NumaBalancingSysctl Enable(string path = DefaultPath)
    {
        var previous = Read(path) ?? throw new CalibrationFailed($"cannot read {path}: this kernel has no NUMA balancing");
        var scope = new NumaBalancingSysctl(path, previous);
        if (previous == "0")
        {
            try { File.WriteAllText(path, "1"); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                scope.Dispose();
                throw new CalibrationFailed($"cannot write {path}: {e.Message}");
            }
        }
        return scope;
    }

    public void Dispose()
    {
        Restore();
        foreach (var s in _signals) s.Dispose();
        AppDomain.CurrentDomain.ProcessExit -= OnExit;
    }

    private void OnExit(object? sender, EventArgs e) => Restore();

    private void Restore()
    {
        if (Interlocked.Exchange(ref _restored, 1) != 0) return;
        try { File.WriteAllText(_path, _previous); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"actorkernel: could not restore {_path} to {_previous}: {e.Message}");
        }
    }
}
