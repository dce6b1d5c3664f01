namespace ActorKernel.Cli.Tests;

/// <summary>The CLI's own entry point run in this process: exit code, stdout and stderr.</summary>
internal static class InProcessCli
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliMain.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
