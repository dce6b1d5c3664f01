namespace ActorKernel.Cli.Tests;

/// <summary>`actorkernel worker` on its own: how it ends before any coordinator answers.</summary>
[Collection(ProcessTests.Name)]
public sealed class WorkerCommandTests
{
    // Nothing listens on port 1 of loopback (it would need root and a service nobody runs there).
    private static CliProcess WaitingWorker() => CliProcess.Start("worker", "--join", "127.0.0.1:1", "--slots", "1");

    [Fact]
    public void SigtermWhileWaitingForTheCoordinator_Exit130()
    {
        using var worker = WaitingWorker();
        worker.WaitForLine("worker listening on");
        worker.Terminate();

        Assert.Equal(130, worker.WaitForExit());
    }

    [Fact]
    public void SigintWhileWaitingForTheCoordinator_Exit130()
    {
        using var worker = WaitingWorker();
        worker.WaitForLine("worker listening on");
        worker.Interrupt();

        Assert.Equal(130, worker.WaitForExit());
    }

    [Fact]
    public void JoinPort0_OneLine_Exit2_BeforeAnyNodeStarts()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliMain.Run(["worker", "--join", "127.0.0.1:0"], stdout, stderr);

        Assert.Equal(2, code);
        var line = Assert.Single(stderr.ToString().TrimEnd('\n').Split('\n'));
        Assert.Equal("actorkernel: error: --join needs the port the coordinator printed (1 to 65535), got '127.0.0.1:0'", line);
        // Refused while parsing the arguments: no node started (it used to wait 20 s, then exit 1).
        Assert.Equal("", stdout.ToString());
    }
}
