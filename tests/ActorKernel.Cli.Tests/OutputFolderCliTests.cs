using ActorKernel.Experiments.Results;

namespace ActorKernel.Cli.Tests;

/// <summary>
/// Issue 19, output-folder problems: each is one line on stderr, exit status 2, nothing on stdout,
/// nothing created or changed — never a stack trace.
/// </summary>
[Collection(ProcessTests.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OutputFolderCliTests : IDisposable
{
    private static readonly string[] Sweep = ["run", "--set", "workload.fork-exec.execs=2", "--runs-per-point", "1", "--parallel", "1"];

    private readonly string _dir = Directory.CreateTempSubdirectory("actorkernel-outcli-").FullName;

    public OutputFolderCliTests()
    {
        // Other users (nobody) must reach what the tests put here.
        File.SetUnixFileMode(_dir, (UnixFileMode)0b111_101_101);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Out(string name) => Path.Combine(_dir, name);

    private static (int Code, string Out, string Err) Cli(params string[] args) => InProcessCli.Run(args);

    private static string OneLineExit2((int Code, string Out, string Err) r)
    {
        Assert.True(r.Code == 2, $"exit {r.Code}: {r.Err}");
        Assert.Equal("", r.Out);
        var line = Assert.Single(r.Err.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("actorkernel: error: ", line);
        return line;
    }

    // Every entry below the test folder with its bytes and time stamp: "nothing created or changed".
    private string[] Tree() =>
        Directory.EnumerateFileSystemEntries(_dir, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(p => File.Exists(p) && OutputFolder.LinkTarget(p) is null
                ? $"{p} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(p)))} {File.GetLastWriteTimeUtc(p):O}"
                : p)
            .Order(StringComparer.Ordinal).ToArray();

    [Theory]
    [InlineData("an existing regular file", "exists and is not a folder")]
    [InlineData("/dev/null", "/dev/null exists and is not a folder")]
    [InlineData("a path under a regular file", "is not a folder")]
    [InlineData("an empty string", "--out needs a folder name, got an empty string")]
    [InlineData("a 300-character name", "300 bytes")]
    [InlineData("a dangling symbolic link", "is a symbolic link (to /nonexistent/actorkernel)")]
    [InlineData("a symbolic link to a folder", "is a symbolic link")]
    public void BadOutFolder_OneLine_Exit2_NothingCreated(string what, string expected)
    {
        File.WriteAllText(Out("file"), "mine");
        Directory.CreateDirectory(Out("real"));
        var outDir = what switch
        {
            "an existing regular file" => Out("file"),
            "/dev/null" => "/dev/null",
            "a path under a regular file" => Path.Combine(Out("file"), "results"),
            "an empty string" => "",
            "a 300-character name" => Out(new string('n', 300)),
            "a dangling symbolic link" => Link(Out("dangling"), "/nonexistent/actorkernel"),
            "a symbolic link to a folder" => Link(Out("link"), Out("real")),
            _ => throw new ArgumentException(what),
        };
        var before = Tree();

        var line = OneLineExit2(Cli([.. Sweep, "--out", outDir]));

        Assert.Contains(expected, line);
        Assert.Equal(before, Tree());
    }

    [Fact]
    public void ExperimentNameOf245Characters_WithTheDefaultFolder_OneLine_Exit2()
    {
        var name = new string('a', 245);
        var line = OneLineExit2(Cli([.. Sweep, "--set", $"experiment.name={name}"]));
        Assert.Contains("experiment.name", line);
        Assert.False(Directory.Exists(Path.Combine("out", name + "-1")));
    }

    [Fact]
    public void ResumeWhereRunsJsonlIsADanglingLink_OneLine_Exit2_Untouched()
    {
        var dir = Out("finished");
        Assert.Equal(0, Cli([.. Sweep, "--out", dir]).Code);
        File.Delete(Path.Combine(dir, "runs.jsonl"));
        File.CreateSymbolicLink(Path.Combine(dir, "runs.jsonl"), "/nonexistent/runs.jsonl");
        var before = Tree();

        var line = OneLineExit2(Cli([.. Sweep, "--resume", dir]));

        Assert.Contains("runs.jsonl, a symbolic link", line);
        Assert.Equal(before, Tree());
    }

    [Theory]
    [InlineData("garbage line in the middle")]
    [InlineData("5 MB of garbage after the header")]
    [InlineData("invalid UTF-8")]
    public void RefusedResume_OneLine_Exit2_JournalByteIdentical(string damage)
    {
        var dir = Out("damaged");
        Assert.Equal(0, Cli([.. Sweep, "--out", dir]).Code);
        var path = Path.Combine(dir, "runs.jsonl");
        var bytes = File.ReadAllBytes(path);
        var second = Array.IndexOf(bytes, (byte)'\n') + 1;
        var third = Array.IndexOf(bytes, (byte)'\n', second) + 1;
        File.WriteAllBytes(path, damage switch
        {
            "garbage line in the middle" => [.. bytes[..third], .. "not a run\n"u8.ToArray(), .. bytes[third..]],
            "5 MB of garbage after the header" => [.. bytes[..second], .. Enumerable.Repeat((byte)'x', 5_000_000)],
            _ => [.. bytes[..(second + 30)], 0xff, 0xfe, .. bytes[(second + 30)..]],
        });
        File.SetLastWriteTimeUtc(path, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var before = Tree();

        var line = OneLineExit2(Cli([.. Sweep, "--resume", dir]));

        Assert.Contains($"cannot resume {dir}", line);
        Assert.Equal(before, Tree());
    }

    [ReadOnlyMountFact]
    public void OutOnAReadOnlyFileSystem_OneLine_Exit2()
    {
        var ro = Out("ro");
        Directory.CreateDirectory(ro);
        var script = $"mount -t tmpfs -o ro none {ro} && exec \"$0\" \"$@\"";

        var line = OneLineExit2(OutputProcess.Run([.. Sweep, "--out", Path.Combine(ro, "results")], ["unshare", "-m", "sh", "-c", script]));

        Assert.Contains("Read-only file system", line);
        Assert.Empty(Directory.EnumerateFileSystemEntries(ro));
    }

    [AsNobodyFact]
    public void OutInAFolderTheUserMayNotWrite_OneLine_Exit2()
    {
        var roots = Out("roots");
        Directory.CreateDirectory(roots);
        Assert.Equal(0, Cli([.. Sweep, "--out", Path.Combine(roots, "finished")]).Code);
        var before = Tree();

        var fresh = OneLineExit2(OutputProcess.Run([.. Sweep, "--out", Path.Combine(roots, "mine")], AsNobodyFactAttribute.Wrapper));
        var replace = OneLineExit2(OutputProcess.Run([.. Sweep, "--out", Path.Combine(roots, "finished")], AsNobodyFactAttribute.Wrapper));
        var resume = OneLineExit2(OutputProcess.Run([.. Sweep, "--resume", Path.Combine(roots, "finished")], AsNobodyFactAttribute.Wrapper));

        foreach (var line in new[] { fresh, replace, resume }) Assert.Contains("Permission denied", line);
        Assert.Equal(before, Tree());
    }

    [AsNobodyFact]
    public void ResumeWhereRunsJsonlIsUnreadable_OneLine_Exit2_Untouched()
    {
        var theirs = Out("nobodys");
        Directory.CreateDirectory(theirs);
        var dir = Path.Combine(theirs, "sweep");
        Assert.Equal(0, Cli([.. Sweep, "--out", dir]).Code);
        foreach (var p in new[] { theirs, dir }.Concat(Directory.EnumerateFileSystemEntries(dir)))
            Chown(p);
        var journal = Path.Combine(dir, "runs.jsonl");
        using (var chown = System.Diagnostics.Process.Start("chown", ["root", journal])) chown.WaitForExit();
        File.SetUnixFileMode(journal, UnixFileMode.None);
        var before = Tree();

        var line = OneLineExit2(OutputProcess.Run([.. Sweep, "--resume", dir], AsNobodyFactAttribute.Wrapper));

        Assert.Contains($"cannot read {journal}: Permission denied", line);
        Assert.Equal(before, Tree());
    }

    private static void Chown(string path)
    {
        using var chown = System.Diagnostics.Process.Start("chown", ["-h", "65534:65534", path]);
        chown.WaitForExit();
        Assert.Equal(0, chown.ExitCode);
    }

    private static string Link(string path, string target)
    {
        File.CreateSymbolicLink(path, target);
        return path;
    }
}
