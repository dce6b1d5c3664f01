namespace ActorKernel.Fuzz.Tests;

/// <summary>
/// The inputs that once killed or hung the whole process (a stack overflow cannot be caught; a FIFO
/// without a writer blocks its reader), run in a real `actorkernel` process so that a regression
/// fails one test instead of taking the test host down. Every wait is bounded (<see cref="Cli.Tests.CliProcess"/>).
/// </summary>
public sealed class ProcessTests : IDisposable
{
    private readonly Sandbox _box = new();

    public void Dispose() => _box.Dispose();

    private static string Refused(params string[] args)
    {
        using var cli = Cli.Tests.CliProcess.Start(args);
        var code = cli.WaitForExit();
        var output = cli.Output;
        Assert.True(code == 2, $"exit {code}:\n{output[..Math.Min(output.Length, 2000)]}");
        var line = Assert.Single(output.Split('\n'));
        Assert.StartsWith("actorkernel: error: ", line);
        return line;
    }

    [Theory]
    [InlineData("self-reference", "experiment.name = ${experiment.name}\n", "substitution")]
    [InlineData("two-key-cycle", "a = ${b}\nb = ${a}\n", "substitution")]
    [InlineData("backslash-in-a-list", "experiment.policies = [\\1]\n", "must be inside a quoted string")]
    public void ConfigurationThatOverflowedOrLooped_IsOneLine(string name, string text, string expected)
    {
        _box.Write(name + ".conf", text);
        Assert.Contains(expected, Refused("run", name + ".conf"));
    }

    [Fact]
    public void Nesting100000BlocksDeep_IsOneLine()
    {
        _box.Write("deep.conf", "experiment " + string.Concat(Enumerable.Repeat("{a ", 100_000)) + new string('}', 100_000) + "\n");
        Assert.Contains("nesting deeper than 64 levels", Refused("run", "deep.conf"));
    }

    [Fact]
    public void AKeyOf100000DottedSegments_IsOneLine_AndASetKeyOf50000()
    {
        _box.Write("dots.conf", string.Concat(Enumerable.Repeat("a.", 100_000)) + "b = 1\n");
        Assert.Contains("nesting deeper than 64 levels", Refused("run", "dots.conf"));
        Assert.Contains("more than 64 segments", Refused("run", "--set", string.Concat(Enumerable.Repeat("a.", 50_000)) + "b=1"));
    }

    [Fact]
    public void DevZeroAsTheExperimentFile_IsNotARegularFile()
    {
        Assert.Contains("experiment file '/dev/zero' is a character device, not a regular file", Refused("run", "/dev/zero"));
    }

    [Fact]
    public void AFifoWithNoWriter_IsRefusedWithoutWaiting()
    {
        var fifo = Path.Combine(_box.Root, "fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo])) mkfifo.WaitForExit();
        Assert.Contains("experiment file 'fifo' is a FIFO, not a regular file", Refused("run", "fifo"));
    }
}
