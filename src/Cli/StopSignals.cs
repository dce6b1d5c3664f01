using System.Runtime.InteropServices;

namespace ActorKernel.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM both ask a command to stop gracefully: finish or hand back the
/// runs in progress, write what has finished, exit 130. (Without a SIGTERM handler a coordinator
/// blocked in its sweep ignored `kill`.)
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly ConsoleCancelEventHandler _onCancel;
    private readonly PosixSignalRegistration _onTerm;

    public StopSignals(Action stop)
    {
        _onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop();
        };
        Console.CancelKeyPress += _onCancel;
        _onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
        {
            ctx.Cancel = true;
            stop();
        });
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= _onCancel;
        _onTerm.Dispose();
    }
}
