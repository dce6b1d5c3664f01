namespace ActorKernel.Cli.Tests;

/// <summary>A rule between keys is checked when the configuration is bound: exit 2, one line, nothing written, never a failed run.</summary>
public sealed class ConfigurationRulesEndToEndTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("actorkernel-cli-rules-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int Code, string Out, string Err) Cli(params string[] args) => InProcessCli.Run(args);

    [Fact]
    public void FreshWindowsWithTooFewRodataPages_OneLineNamingBothKeys_Exit2_NothingWritten()
    {
        var outDir = Path.Combine(_dir, "fresh");

        var (code, stdout, stderr) = Cli("run", "--set", "workload.fork-exec.strings-placement=fresh-window-per-exec",
            "--set", "image.rodata-pages=40", "--set", "workload.fork-exec.execs=2", "--out", outDir);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("actorkernel: error: ", line);
        Assert.Contains("actor-kernel.workload.fork-exec.strings-placement", line);
        Assert.Contains("actor-kernel.image.rodata-pages >= 60, got 40", line);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void FreshWindowsWithTooFewRodataPagesAtOneSweepPoint_Exit2_NothingWritten()
    {
        var outDir = Path.Combine(_dir, "sweep");

        var (code, stdout, stderr) = Cli("run", "--set", "workload.fork-exec.strings-placement=fresh-window-per-exec",
            "--set", "experiment.sweep.\"image.rodata-pages\"=[64, 40]", "--set", "workload.fork-exec.execs=2", "--out", outDir);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("got 40", Assert.Single(stderr.TrimEnd('\n').Split('\n')));
        Assert.False(Directory.Exists(outDir));
    }
}
