namespace ActorKernel.Cli.Tests;

/// <summary>`actorkernel pagemap`: the page-table view that tells a NUMA hint PTE from a present one.</summary>
public sealed class PagemapCommandTests
{
    private static readonly string Experiment = Path.Combine(RepoRoot(), "config", "experiments", "numa-idle.conf");

    private static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "ActorKernel.sln"))) dir = Path.GetDirectoryName(dir)!;
        return dir;
    }

    private static (int Code, string Out, string Err) Cli(params string[] args) => InProcessCli.Run(args);

    [Fact]
    public void AfterTheFirstScan_IdleBufferIsProtNone_WhichPagemapReportsAsPresent()
    {
        // Run 5 of numa-idle.conf: 4 threads, one busy.
        var (code, stdout, stderr) = Cli("pagemap", Experiment, "--at", "5s", "--run", "5", "--set", "workload.numa-idle.duration-s=6");
        Assert.True(code == 0, stderr);
        var idle = stdout.Split('\n').SkipWhile(l => !l.Contains("[anon: idle buffer]")).Skip(1).First();
        Assert.Contains("protnone", idle);
        Assert.Contains("pagemap: present", idle);
        // Read-only and r-x file VMAs are never hinted.
        var text = stdout.Split('\n').SkipWhile(l => !l.Contains("prog .text")).Skip(1).First();
        Assert.Contains("present", text);
        Assert.DoesNotContain("protnone", text);
    }

    [Theory]
    [InlineData("--at", "soon", "--at expects a virtual time")]
    [InlineData("--pid", "x", "--pid expects a whole number")]
    public void BadArguments_OneLineExit2(string option, string value, string expected)
    {
        var (code, _, stderr) = Cli("pagemap", Experiment, option, value);
        Assert.Equal(2, code);
        Assert.Contains(expected, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public void MissingAt_IsAnError()
    {
        var (code, _, stderr) = Cli("pagemap", Experiment);
        Assert.Equal(2, code);
        Assert.Contains("needs --at", stderr);
    }
}
