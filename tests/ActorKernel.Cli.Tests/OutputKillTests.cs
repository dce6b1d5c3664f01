using ActorKernel.Experiments.Results;

namespace ActorKernel.Cli.Tests;

/// <summary>
/// Kill at every instant: the output folder's test hook (<see cref="OutputFolder.TestHookVariable"/>)
/// SIGKILLs `actorkernel run` after step k of creating, reopening or replacing a folder, for every k
/// until the run finishes unkilled. After each kill the folder is the old one or the new one (never
/// lost, never mixed), and the next run removes what was left beside it, or names it in one line.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class OutputKillTests : IDisposable
{
    private static readonly string[] Sweep = ["run", "--set", "workload.fork-exec.execs=2", "--runs-per-point", "1", "--parallel", "1"];

    private readonly string _dir = Directory.CreateTempSubdirectory("actorkernel-kill-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Out(string name) => Path.Combine(_dir, name);

    private static (int Code, string Out, string Err) Cli(params string[] args) => InProcessCli.Run(args);

    // A folder's entries (hidden included) and their bytes; null when it is not there.
    private static SortedDictionary<string, string>? State(string dir) =>
        !Directory.Exists(dir)
            ? null
            : new(Directory.EnumerateFileSystemEntries(dir).ToDictionary(
                p => Path.GetFileName(p),
                p => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(p)))), StringComparer.Ordinal);

    // What is in the test folder besides the reference folders.
    private string[] Beside() =>
        Directory.EnumerateFileSystemEntries(_dir).Select(Path.GetFileName).Where(n => n is not ("reference" or "pristine")).Order(StringComparer.Ordinal).ToArray()!;

    // Make dir a copy of folder source (hidden list included), after removing what a kill left.
    private void Restore(string dir, string? source)
    {
        foreach (var leftover in Directory.EnumerateDirectories(_dir, ".*")) Directory.Delete(leftover, recursive: true);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        if (source is null) return;
        Directory.CreateDirectory(dir);
        foreach (var f in Directory.EnumerateFiles(source)) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
    }

    // The reference new folder: the same command, uninterrupted, elsewhere.
    private SortedDictionary<string, string> Reference(string[] args)
    {
        var reference = Out("reference");
        if (!Directory.Exists(reference)) Assert.Equal(0, Cli([.. args, "--out", reference]).Code);
        return State(reference)!;
    }

    /// <summary>Run <paramref name="args"/> killed after step k, for k = 1, 2, … until it finishes; <paramref name="afterKill"/> checks each kill.</summary>
    private static int KillAtEveryStep(string[] args, string hook, Action<int> before, Action<int, string> afterKill)
    {
        for (var k = 1; ; k++)
        {
            before(k);
            var r = OutputProcess.Run(args, environment: new Dictionary<string, string> { [OutputFolder.TestHookVariable] = $"{hook}kill-after={k}" });
            if (r.Code == 0) return k - 1;
            Assert.True(r.Code == 137, $"step {k}: exit {r.Code}, not SIGKILL:\n{r.Err}");
            Assert.Contains($"SIGKILL after step {k} ", r.Err);
            afterKill(k, r.Err);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ReplacingAFinishedFolder_KilledAtEveryStep_LeavesOldOrNew_AndTheNextRunFinishesIt(bool exchange)
    {
        string[] replace = [.. Sweep, "--seed", "2"];
        var newState = Reference(replace);
        var dir = Out("out");
        var old = Out(".out" + OutputFolder.OldSuffix);
        var pristine = Out("pristine");
        Assert.Equal(0, Cli([.. Sweep, "--out", pristine]).Code);
        var oldState = State(pristine)!;

        var steps = KillAtEveryStep([.. replace, "--out", dir], exchange ? "" : "no-exchange,", k => Restore(dir, pristine), (k, err) =>
        {
            var state = State(dir);
            if (state is null)
            {
                // Only between the two renames of a file system without RENAME_EXCHANGE: the next run names the old folder.
                Assert.False(exchange, $"step {k}: no folder at all ({err})");
                Assert.Equal(oldState, State(old));
                var refused = Cli([.. replace, "--out", dir]);
                Assert.Equal(2, refused.Code);
                Assert.Contains($"{old} holds the previous out", refused.Err);
                Assert.Single(refused.Err.TrimEnd('\n').Split('\n'));
                Directory.Move(old, dir);
                Assert.Equal(oldState, State(dir));
            }
            else
            {
                Assert.True(state.SequenceEqual(oldState) || state.SequenceEqual(newState), $"step {k}: the folder is neither the old one nor the new one ({err})");
            }
            FinishAndCheck(replace, dir, newState, k);
        });

        Assert.True(steps >= 15, $"only {steps} steps were killed at");
    }

    [Fact]
    public void FreshFolder_KilledAtEveryStep_IsNothingOrASweepOrTheResult_AndTheNextRunFinishesIt()
    {
        var newState = Reference(Sweep);
        var dir = Out("out");

        var steps = KillAtEveryStep([.. Sweep, "--out", dir], "", k => Restore(dir, null), (k, err) =>
        {
            var state = State(dir);
            // Not there yet, a sweep in progress (its list and journal, nothing else), or the finished folder.
            Assert.True(state is null || state.Keys.All(n => n is OutputFolder.ManifestName or "runs.jsonl") || state.SequenceEqual(newState),
                $"step {k}: {string.Join(", ", state?.Keys.ToArray() ?? [])} ({err})");
            FinishAndCheck(Sweep, dir, newState, k);
        });

        Assert.True(steps >= 14, $"only {steps} steps were killed at");
    }

    [Fact]
    public void ResumingAnInterruptedFolder_KilledAtEveryStep_KeepsItsRuns_AndTheNextResumeFinishesIt()
    {
        var newState = Reference(Sweep);
        var dir = Out("out");
        var reference = Out("reference");
        var journal = File.ReadAllBytes(Path.Combine(reference, "runs.jsonl"));
        // As Ctrl-C leaves it: the folder written from the first runs (here: its header and 3 run lines).
        var cut = 0;
        for (var i = 0; i < 4; i++) cut = Array.IndexOf(journal, (byte)'\n', cut) + 1;
        SortedDictionary<string, string>? interrupted = null;

        var steps = KillAtEveryStep([.. Sweep, "--resume", dir], "", k =>
        {
            Restore(dir, reference);
            File.WriteAllBytes(Path.Combine(dir, "runs.jsonl"), journal[..cut]);
            interrupted ??= State(dir);
        }, (k, err) =>
        {
            var state = State(dir)!;
            var journalNow = File.ReadAllBytes(Path.Combine(dir, "runs.jsonl"));
            // The interrupted folder with more runs appended, or the finished one.
            var grown = state.Keys.SequenceEqual(interrupted!.Keys) && state.Where(e => e.Key != "runs.jsonl").SequenceEqual(interrupted.Where(e => e.Key != "runs.jsonl"))
                        && journalNow.AsSpan().StartsWith(journal.AsSpan(0, cut));
            Assert.True(grown || state.SequenceEqual(newState), $"step {k}: neither the interrupted folder nor the finished one ({err})");
            var resumed = Cli([.. Sweep, "--resume", dir]);
            Assert.True(resumed.Code == 0, $"step {k}: {resumed.Err}");
            Assert.Equal(newState, State(dir));
            Assert.Equal(["out"], Beside());
        });

        Assert.True(steps >= 13, $"only {steps} steps were killed at");
    }

    // The next run, as the user would type it: the same command, or --resume when that is what it asks for.
    private void FinishAndCheck(string[] args, string dir, SortedDictionary<string, string> newState, int k)
    {
        var next = Cli([.. args, "--out", dir]);
        if (next.Code == 2)
        {
            Assert.Single(next.Err.TrimEnd('\n').Split('\n'));
            Assert.Contains($"--resume {dir}", next.Err);
            next = Cli([.. args, "--resume", dir]);
        }
        Assert.True(next.Code == 0, $"step {k}: {next.Err}");
        Assert.Equal(newState, State(dir));
        Assert.Equal(["out"], Beside());
    }
}
