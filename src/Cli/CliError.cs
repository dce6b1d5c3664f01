namespace ActorKernel.Cli;

/// <summary>A mistake in the command line: printed as one line, exit status 2.</summary>
public sealed class CliError : Exception
{
    public CliError(string message) : base(message)
    {
    }
}
