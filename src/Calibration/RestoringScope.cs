using System.Runtime.InteropServices;

namespace ActorKernel.Calibration;

/// <summary>
/// Runs a restore action exactly once: on Dispose (the caller's finally), on the signals that end a
/// process by default (<see cref="NumaBalancingSysctl.RestoringSignals"/>, each then left to end the
/// process) and at process exit — what the memory-pressure case's cgroup and swap file need, as
/// kernel.numa_balancing does.
/// </summary>
internal sealed class RestoringScope : IDisposable
{
    private readonly Action _restore;
    private readonly PosixSignalRegistration[] _signals;
    private int _restored;

    public RestoringScope(Action restore)
    {
        _restore = restore;
        _signals = NumaBalancingSysctl.RestoringSignals.Select(s => PosixSignalRegistration.Create(s, _ => Restore())).ToArray();
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
