using System.Globalization;
using System.Security.Cryptography;
using ActorKernel.Cli;
using ActorKernel.Configuration;

// Every test runs the CLI with the sandbox as the working folder (the default output folder is
// relative to it), so the tests of this assembly run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace ActorKernel.Fuzz.Tests;

/// <summary>
/// A temporary working folder for the CLI, and the promise every bad input must keep: exit status 2,
/// nothing on stdout, one line on stderr ("actorkernel: error: ..."), no stack trace, no raw control
/// or bidi character, and nothing created or changed in the folder.
/// </summary>
public sealed class Sandbox : IDisposable
{
    private readonly string _previous = Directory.GetCurrentDirectory();

    public Sandbox()
    {
        Root = Directory.CreateTempSubdirectory("actorkernel-fuzz-").FullName;
        Directory.SetCurrentDirectory(Root);
    }

    public string Root { get; }

    /// <summary>Writes <paramref name="text"/> to <paramref name="name"/> in the sandbox (before a snapshot is taken) and returns its path.</summary>
    public string Write(string name, string text)
    {
        var path = Path.Combine(Root, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Every entry below the root: its path, and for a file its length, modification time and content hash.</summary>
    public IReadOnlyList<string> Snapshot() =>
        Directory.EnumerateFileSystemEntries(Root, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(p => File.Exists(p)
                ? $"{Path.GetRelativePath(Root, p)} {new FileInfo(p).Length} {File.GetLastWriteTimeUtc(p).Ticks.ToString(CultureInfo.InvariantCulture)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p)))}"
                : Path.GetRelativePath(Root, p) + "/")
            .ToArray();

    /// <summary>Runs the CLI in process; asserts the promise and returns the error line.</summary>
    public string Refused(params string[] args)
    {
        var before = Snapshot();
        var (code, stdout, stderr) = Bounded(() => Run(args), Describe(args));
        var line = AssertOneErrorLine(code, stdout, stderr, Describe(args));
        Assert.True(before.SequenceEqual(Snapshot()), $"the folder changed for {Describe(args)}: {line}");
        return line;
    }

    /// <summary>The longest one case may take: a hang (Akka's reader has looped for ever on some text) fails the case instead of the whole run.</summary>
    public static readonly TimeSpan HangBound = TimeSpan.FromSeconds(60);

    /// <summary>Runs <paramref name="work"/> on its own thread and waits at most <see cref="HangBound"/>; exceptions pass through unwrapped.</summary>
    public static T Bounded<T>(Func<T> work, string what)
    {
        var task = Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(HangBound))
            throw new TimeoutException($"no answer within {HangBound.TotalSeconds} s (a hang) for {what}");
        return task.GetAwaiter().GetResult();
    }

    /// <summary>Runs the CLI in process with stdout and stderr captured.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliMain.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The promise on what was printed: exit 2, nothing on stdout, exactly one safe error line on stderr.</summary>
    public static string AssertOneErrorLine(int code, string stdout, string stderr, string what)
    {
        Assert.True(code == 2, $"exit {code}, not 2, for {what}:\n{stderr}{stdout}");
        Assert.True(stdout.Length == 0, $"stdout not empty for {what}: {stdout}");
        Assert.True(stderr.EndsWith('\n'), $"stderr does not end its line for {what}: {stderr}");
        var lines = stderr.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length == 1, $"{lines.Length} lines on stderr for {what}:\n{stderr}");
        var line = lines[0];
        Assert.StartsWith("actorkernel: error: ", line);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", line, StringComparison.Ordinal);
        var unsafeChar = line.FirstOrDefault(c => char.IsSurrogate(c) ||
            CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);
        Assert.True(unsafeChar == default, $"raw U+{(int)unsafeChar:X4} in the message for {what}: {line}");
        return line;
    }

    /// <summary>The arguments as a reader can paste them back: each quoted, unsafe characters escaped.</summary>
    public static string Describe(IEnumerable<string> args) =>
        string.Join(' ', args.Select(a => "'" + UserText.Escape(UserText.Shorten(a, 200)) + "'"));

    public void Dispose()
    {
        Directory.SetCurrentDirectory(_previous);
        Directory.Delete(Root, recursive: true);
    }
}
