using ActorKernel.Configuration;

namespace ActorKernel.Cli;

/// <summary>A mistake in the command line: printed as one line, exit status 2.</summary>
public sealed class CliError : UserError
{
    public CliError(string message) : base(message)
    {
    }
}
