using System.Text;
using ActorKernel.Experiments.Journal;
using ActorKernel.Experiments.Results;
using ActorKernel.Experiments.Session;

namespace ActorKernel.Experiments.Tests.Journal;

/// <summary>
/// Issue 19, data loss: what an output folder is, that nothing else is ever replaced, that a finished
/// folder stays untouched until its replacement is complete, what leftovers the next run removes or
/// names, and that a refused resume leaves runs.jsonl byte for byte (and time stamp) as it was.
/// </summary>
public sealed class OutputFolderSafetyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("actorkernel-safety-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Dir(string name) => Path.Combine(_dir, name);

    private static ExperimentSession Prepare(params string[] overrides) =>
        ExperimentSession.Prepare(null, new[] { "workload.fork-exec.execs=2", "experiment.runs-per-point=1" }.Concat(overrides).ToArray());

    private static void RunAndWrite(ExperimentSession s, string dir)
    {
        var journal = s.OpenJournal(dir, resume: false);
        s.Run(journal, 2, null, CancellationToken.None);
        s.WriteOutput(journal);
    }

    // Every entry of a folder (hidden ones included) with its bytes and modification time.
    private static SortedDictionary<string, (string Sha, DateTime Mtime)> Snapshot(string dir) =>
        new(Directory.EnumerateFileSystemEntries(dir).ToDictionary(
            p => Path.GetFileName(p),
            p => (Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(p))), File.GetLastWriteTimeUtc(p))), StringComparer.Ordinal);

    private string[] ParentEntries() => Directory.EnumerateFileSystemEntries(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Theory]
    [InlineData("results.json")]
    [InlineData("effective.conf")]
    [InlineData("runs.jsonl")]
    public void FolderWithAnActorKernelFileName_BesideTheUsersFiles_IsRefused_AndKeptWhole(string name)
    {
        var mine = Dir("mine");
        Directory.CreateDirectory(mine);
        File.WriteAllText(Path.Combine(mine, name), "another tool's file");
        File.WriteAllText(Path.Combine(mine, "notes.txt"), "keep me");
        var before = Snapshot(mine);

        var e = Assert.Throws<JournalError>(() => Prepare().CheckJournal(mine, resume: false));

        Assert.Contains("not an ActorKernel output folder", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(before, Snapshot(mine));
        Assert.Equal(["mine"], ParentEntries());
    }

    [Fact]
    public void FolderWithOnlyAnotherToolsResultsJson_IsRefused()
    {
        var theirs = Dir("theirs");
        Directory.CreateDirectory(theirs);
        File.WriteAllText(Path.Combine(theirs, "results.json"), "{}");

        var e = Assert.Throws<JournalError>(() => Prepare().OpenJournal(theirs, resume: false));
        Assert.Contains(".actorkernel-files", e.Message);
        Assert.Equal("{}", File.ReadAllText(Path.Combine(theirs, "results.json")));
    }

    [Fact]
    public void UsersFileAddedToAFinishedOutput_IsRefused_NamingIt()
    {
        var dir = Dir("finished");
        RunAndWrite(Prepare(), dir);
        File.WriteAllText(Path.Combine(dir, "my-analysis.ipynb"), "{}");
        var before = Snapshot(dir);

        var e = Assert.Throws<JournalError>(() => Prepare("experiment.seed=2").OpenJournal(dir, resume: false));
        Assert.Contains("my-analysis.ipynb", e.Message);
        Assert.Contains("ActorKernel did not write", e.Message);
        Assert.Equal(before, Snapshot(dir));

        // Resuming does not sweep it away either.
        Assert.Throws<JournalError>(() => Prepare().OpenJournal(dir, resume: true));
        Assert.Equal(before, Snapshot(dir));
    }

    [Fact]
    public void ALinkOrSubfolderInAnOutputFolder_IsRefused()
    {
        var dir = Dir("linked");
        RunAndWrite(Prepare(), dir);
        var journal = Path.Combine(dir, RunJournal.FileName);
        File.Delete(journal);
        File.CreateSymbolicLink(journal, "/nonexistent/runs.jsonl");

        var e = Assert.Throws<JournalError>(() => Prepare().OpenJournal(dir, resume: true));
        Assert.Contains("symbolic link", e.Message);

        File.Delete(journal);
        Directory.CreateDirectory(Path.Combine(dir, "plots"));
        Assert.Contains("plots, a folder", Assert.Throws<JournalError>(() => Prepare().OpenJournal(dir, resume: false)).Message);
    }

    [Fact]
    public void FreshSweepOverAFinishedOutput_LeavesItUntouched_UntilTheNewFolderIsComplete()
    {
        var dir = Dir("replaced");
        RunAndWrite(Prepare(), dir);
        var before = Snapshot(dir);

        var s = Prepare("experiment.seed=2");
        var journal = s.OpenJournal(dir, resume: false);
        s.Run(journal, 2, null, CancellationToken.None);
        // Every run recorded, the folder not written yet: the old folder is as it was, time stamps included.
        Assert.Equal(before, Snapshot(dir));
        Assert.True(File.Exists(Path.Combine(_dir, ".replaced" + RunJournal.SweepSuffix, RunJournal.FileName)));

        var files = s.WriteOutput(journal);

        Assert.Equal(files.Single(f => f.Name == "results.json").Content, File.ReadAllBytes(Path.Combine(dir, "results.json")));
        Assert.Equal(["replaced"], ParentEntries());
        Assert.Equal(files.Select(f => f.Name).Append(OutputFolder.ManifestName).Order(StringComparer.Ordinal), Snapshot(dir).Keys);
    }

    public static TheoryData<string, Func<byte[], byte[]>> DamagedJournals => new()
    {
        // A garbage line between two run lines.
        { "garbage line in the middle", b => Insert(b, LineStart(b, 2), "garbage\n"u8.ToArray()) },
        // 5 MB with no newline after the header: not a torn run line, so not cut off.
        { "5 MB of garbage after the header", b => b[..LineStart(b, 1)].Concat(Enumerable.Range(0, 5_000_000).Select(i => (byte)('A' + i % 26))).ToArray() },
        { "invalid UTF-8 in a run line", b => Insert(b, LineStart(b, 1) + 40, [0xff, 0xfe, 0x80]) },
        { "invalid UTF-8 in the header", b => Insert(b, 10, [0xc3, 0x28]) },
        { "a run line of another plan", b => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(b).Replace("\"run\":1,", "\"run\":99999,")) },
        { "a NUL-filled torn line", b => b.Concat(new byte[4096]).ToArray() },
    };

    [Theory]
    [MemberData(nameof(DamagedJournals))]
    public void RefusedResume_LeavesTheJournalByteIdentical_TimeStampIncluded(string damage, Func<byte[], byte[]> mutate)
    {
        var dir = Dir("damaged");
        var s = Prepare();
        using (var j = s.OpenJournal(dir, resume: false))
            foreach (var spec in s.Plan.Runs.Take(4)) j.Record(Execute(spec));
        var path = Path.Combine(dir, RunJournal.FileName);
        File.WriteAllBytes(path, mutate(File.ReadAllBytes(path)));
        var stamp = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, stamp);
        var before = File.ReadAllBytes(path);

        var e = Assert.Throws<JournalError>(() => Prepare().OpenJournal(dir, resume: true));

        Assert.True(e.Message.StartsWith($"cannot resume {dir}", StringComparison.Ordinal), $"{damage}: {e.Message}");
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));
        Assert.Equal(["damaged"], ParentEntries());
    }

    [Fact]
    public void RefusedResume_OfAnotherExperiment_LeavesTheTimeStamp()
    {
        var dir = Dir("other");
        RunAndWrite(Prepare(), dir);
        var path = Path.Combine(dir, RunJournal.FileName);
        var stamp = new DateTime(2021, 6, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, stamp);
        var before = Snapshot(dir);

        Assert.Throws<JournalError>(() => Prepare("experiment.seed=9").OpenJournal(dir, resume: true));
        Assert.Equal(before, Snapshot(dir));
    }

    [Fact]
    public void LeftoverTemporaryFolder_IsRemovedByTheNextRun()
    {
        var dir = Dir("out");
        RunAndWrite(Prepare(), dir);
        var tmp = Path.Combine(_dir, ".out" + OutputFolder.TempSuffix);
        // As a kill while writing it leaves it: the list first, then some of the files.
        OutputFolder.Create(tmp, ["results.json", "results.csv", "runs.jsonl"]);
        File.WriteAllText(Path.Combine(tmp, "results.json"), "{");

        RunAndWrite(Prepare("experiment.seed=2"), dir);

        Assert.Equal(["out"], ParentEntries());
    }

    [Fact]
    public void TemporaryFolderHoldingSomethingElse_IsNamed_NotRemoved()
    {
        var dir = Dir("out");
        var tmp = Path.Combine(_dir, ".out" + OutputFolder.TempSuffix);
        Directory.CreateDirectory(tmp);
        File.WriteAllText(Path.Combine(tmp, "thesis.tex"), "keep");

        var e = Assert.Throws<JournalError>(() => Prepare().OpenJournal(dir, resume: false));
        Assert.Contains(tmp, e.Message);
        Assert.Equal("keep", File.ReadAllText(Path.Combine(tmp, "thesis.tex")));
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void OldFolderLeftBetweenTheTwoRenames_IsNamed_NotGuessedAt()
    {
        var dir = Dir("out");
        RunAndWrite(Prepare(), dir);
        Directory.Move(dir, Path.Combine(_dir, ".out" + OutputFolder.OldSuffix));

        var e = Assert.Throws<JournalError>(() => Prepare().OpenJournal(dir, resume: false));
        Assert.Contains(".out" + OutputFolder.OldSuffix, e.Message);
        Assert.Contains($"rename it back to {dir}", e.Message);
        Assert.Equal([".out" + OutputFolder.OldSuffix], ParentEntries());
    }

    [Fact]
    public void OldFolderLeftAfterTheNewOneWasRenamedIn_IsRemovedByTheNextRun()
    {
        var dir = Dir("out");
        RunAndWrite(Prepare(), dir);
        RunAndWrite(Prepare(), Dir("previous"));
        Directory.Move(Dir("previous"), Path.Combine(_dir, ".out" + OutputFolder.OldSuffix));

        RunAndWrite(Prepare("experiment.seed=2"), dir);

        Assert.Equal(["out"], ParentEntries());
    }

    [Fact]
    public void InterruptedReplacingSweep_FreshStartNamesIt_ResumeContinuesIt()
    {
        var dir = Dir("out");
        RunAndWrite(Prepare(), dir);
        var before = Snapshot(dir);
        var s = Prepare("experiment.seed=2");
        using (var j = s.OpenJournal(dir, resume: false)) j.Record(Execute(s.Plan.Runs[0]));

        var e = Assert.Throws<JournalError>(() => Prepare("experiment.seed=2").OpenJournal(dir, resume: false));
        Assert.Contains($"--resume {dir}", e.Message);
        Assert.Contains("1 of", e.Message);
        Assert.Equal(before, Snapshot(dir));

        var resumed = Prepare("experiment.seed=2");
        var journal = resumed.OpenJournal(dir, resume: true);
        Assert.Equal(1, journal.Count);
        resumed.Run(journal, 2, null, CancellationToken.None);
        var files = resumed.WriteOutput(journal);

        var whole = Dir("whole");
        RunAndWrite(Prepare("experiment.seed=2"), whole);
        foreach (var (name, content) in files) Assert.Equal(File.ReadAllBytes(Path.Combine(whole, name)), content);
        Assert.Equal(["out", "whole"], ParentEntries());
    }

    [Fact]
    public void SweepFolderLeftAfterTheSwap_IsRemovedByTheNextRun()
    {
        var dir = Dir("out");
        RunAndWrite(Prepare(), dir);
        // A kill after the new folder was swapped in, before its sweep folder was removed.
        var sweep = Path.Combine(_dir, ".out" + RunJournal.SweepSuffix);
        OutputFolder.Create(sweep, [RunJournal.FileName]);
        File.Copy(Path.Combine(dir, RunJournal.FileName), Path.Combine(sweep, RunJournal.FileName));

        RunAndWrite(Prepare("experiment.seed=3"), dir);

        Assert.Equal(["out"], ParentEntries());
    }

    [Fact]
    public void CalibrationStyleWrite_RefusesAFolderThatIsNotActorKernels()
    {
        var dir = Dir("calibration");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "calibration.json"), "mine");
        File.WriteAllText(Path.Combine(dir, "README"), "mine");

        Assert.Throws<JournalError>(() => OutputFolder.Write(dir, [("calibration.json", "{}"u8.ToArray())]));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(dir, "calibration.json")));

        var fresh = Dir("fresh");
        OutputFolder.Write(fresh, [("calibration.json", "{}"u8.ToArray())]);
        OutputFolder.Write(fresh, [("calibration.json", "{\"again\":1}"u8.ToArray())]);
        Assert.Equal("{\"again\":1}", File.ReadAllText(Path.Combine(fresh, "calibration.json")));
        Assert.Equal(["calibration", "fresh"], ParentEntries());
    }

    private static int LineStart(byte[] b, int line)
    {
        var at = 0;
        for (var i = 0; i < line; i++) at = Array.IndexOf(b, (byte)'\n', at) + 1;
        return at;
    }

    private static byte[] Insert(byte[] b, int at, byte[] what) => b[..at].Concat(what).Concat(b[at..]).ToArray();

    private static Running.RunRecord Execute(Planning.RunSpec spec)
    {
        using var runner = new Running.ExperimentRunner(1);
        return Running.ExperimentRunner.Execute(runner.Lanes[0], spec);
    }
}
