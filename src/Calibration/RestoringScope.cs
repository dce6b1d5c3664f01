using System.Runtime.InteropServices;

namespace ActorKernel.Calibration;

/// <summary>
/// Runs a restore action exactly once: on Dispose (the caller's finally), on the signals that end a
/// process by default (<see cref="RestoringSignals"/>, each then left to end the process) and at
/// process exit — what kernel.numa_balancing, the memory-pressure case's cgroup and its swap file need.
/// </summary>
internal sealed class RestoringScope : IDisposable
{
    /// <summary>
    /// Each gets a handler that restores and lets the signal go on to end the process: Ctrl-C, Ctrl-\,
    /// kill, a closed terminal. SIGTERM needs its own: it does not reliably raise AppDomain.ProcessExit
    /// (measured with .NET 10 on Linux: with a Console.CancelKeyPress handler registered, a SIGTERM
    /// ended the process without it; NumaBalancingSysctlRestoreTests).
    /// </summary>
    public static readonly IReadOnlyList<PosixSignal> RestoringSignals = [PosixSignal.SIGINT, PosixSignal.SIGQUIT, PosixSignal.SIGTERM, PosixSignal.SIGHUP];

    private readonly Action _restore;
    private readonly PosixSignalRegistration[] _signals;
    private int _restored;

    public RestoringScope(Action restore)
    {
        _restore = restore;
        _signals = RestoringSignals.Select(s => PosixSignalRegistration.Create(s, _ => Restore())).ToArray();
        AppDomain.CurrentDomain.ProcessExit += OnExit;
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
        if (Interlocked.Exchange(ref _restored, 1) == 0) _restore();
    }
}
