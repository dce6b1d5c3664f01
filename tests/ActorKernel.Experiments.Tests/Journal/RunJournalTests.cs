using System.Text;
using ActorKernel.Experiments.Journal;
using ActorKernel.Experiments.Session;

namespace ActorKernel.Experiments.Tests.Journal;

/// <summary>runs.jsonl: what a fresh start refuses, what resume checks, and that a sweep finished in pieces equals one run straight through.</summary>
public sealed class RunJournalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("actorkernel-journal-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Dir(string name) => Path.Combine(_dir, name);

    private static ExperimentSession Prepare(params string[] overrides) =>
        ExperimentSession.Prepare(null, new[] { "workload.fork-exec.execs=3" }.Concat(overrides).ToArray());

    private static byte[] File(IReadOnlyList<(string Name, byte[] Content)> files, string name) => files.Single(f => f.Name == name).Content;

    private static int Lines(string path) => System.IO.File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    [Fact]
    public void SweepFinishedInThreePieces_WritesTheSameFolderAsOneUninterruptedRun()
    {
        var whole = Prepare();
        var wholeFiles = whole.WriteOutput(RunAll(whole, Dir("whole")));

        var s = Prepare();
        using (var first = s.OpenJournal(Dir("pieces"), resume: false))
        {
            // Record runs out of order, as a cluster would, and stop after a third.
            foreach (var spec in s.Plan.Runs.Reverse().Take(s.Plan.Runs.Count / 3))
                first.Record(Execute(spec));
        }
        using (var second = Prepare().OpenJournal(Dir("pieces"), resume: true))
        {
            Assert.Equal(s.Plan.Runs.Count / 3, second.Count);
            foreach (var spec in second.Missing().Take(5)) second.Record(Execute(spec));
        }
        var last = Prepare();
        var third = last.OpenJournal(Dir("pieces"), resume: true);
        last.Run(third, 2, null, CancellationToken.None);
        var files = last.WriteOutput(third);

        foreach (var name in new[] { "results.json", "results.csv", "summary.md", "runs.jsonl" })
            Assert.Equal(File(wholeFiles, name), File(files, name));
    }

    [Fact]
    public void SecondResultForTheSameRun_IsIgnored_EachRunCountsOnce()
    {
        var s = Prepare();
        using var journal = s.OpenJournal(Dir("dup"), resume: false);
        var record = Execute(s.Plan.Runs[4]);
        Assert.NotNull(journal.Record(record));
        Assert.Null(journal.Record(record));
        Assert.Equal(1, journal.Count);
        Assert.Equal(2, Lines(Path.Combine(Dir("dup"), RunJournal.FileName)));
    }

    [Fact]
    public void EachRecordedRun_IsOnDiskBeforeRecordReturns()
    {
        var s = Prepare();
        using var journal = s.OpenJournal(Dir("flush"), resume: false);
        journal.Record(Execute(s.Plan.Runs[0]));
        // Read by another handle while the journal is still open: the line is already there.
        using var reader = new FileStream(Path.Combine(Dir("flush"), RunJournal.FileName), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        Assert.Equal(2, new StreamReader(reader).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Resume_DropsATornLastLine_AndRunsThatRunAgain()
    {
        var s = Prepare();
        using (var j = s.OpenJournal(Dir("torn"), resume: false))
        {
            j.Record(Execute(s.Plan.Runs[0]));
            j.Record(Execute(s.Plan.Runs[1]));
        }
        var path = Path.Combine(Dir("torn"), RunJournal.FileName);
        var text = System.IO.File.ReadAllText(path);
        // A crash in the middle of writing run 1's line: half of it, no newline.
        var cut = text.LastIndexOf('\n', text.Length - 2) + 1;
        System.IO.File.WriteAllText(path, text[..(cut + (text.Length - cut) / 2)]);

        using var resumed = Prepare().OpenJournal(Dir("torn"), resume: true);
        Assert.Equal(1, resumed.Count);
        Assert.False(resumed.IsDone(1));
        Assert.Equal(2, Lines(path));
        Assert.EndsWith("\n", System.IO.File.ReadAllText(path));
    }

    [Fact]
    public void Resume_OfAnotherConfiguration_IsRefused_NamingBothHashes()
    {
        var s = Prepare();
        using (var j = s.OpenJournal(Dir("other"), resume: false)) j.Record(Execute(s.Plan.Runs[0]));
        var before = System.IO.File.ReadAllBytes(Path.Combine(Dir("other"), RunJournal.FileName));

        var e = Assert.Throws<JournalError>(() => Prepare("workload.fork-exec.execs=4").OpenJournal(Dir("other"), resume: true));
        Assert.Contains("configuration hash", e.Message);
        Assert.Contains(s.Identity.ConfigSha256[..12], e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(before, System.IO.File.ReadAllBytes(Path.Combine(Dir("other"), RunJournal.FileName)));
    }

    [Fact]
    public void Resume_OfAnotherVersion_IsRefused()
    {
        var s = Prepare();
        using (s.OpenJournal(Dir("version"), resume: false)) { }
        var path = Path.Combine(Dir("version"), RunJournal.FileName);
        System.IO.File.WriteAllText(path, System.IO.File.ReadAllText(path).Replace(ExperimentIdentity.CurrentVersion, "0.9.0+old"));

        var e = Assert.Throws<JournalError>(() => Prepare().OpenJournal(Dir("version"), resume: true));
        Assert.Contains("0.9.0+old", e.Message);
    }

    [Fact]
    public void Resume_OfAFolderWithoutJournal_SaysSo()
    {
        Directory.CreateDirectory(Dir("empty"));
        var e = Assert.Throws<JournalError>(() => Prepare().OpenJournal(Dir("empty"), resume: true));
        Assert.Contains("runs.jsonl", e.Message);
    }

    [Fact]
    public void FreshStart_OverAnUnfinishedSweep_IsRefused_PointingAtResume()
    {
        var s = Prepare();
        using (var j = s.OpenJournal(Dir("unfinished"), resume: false)) j.Record(Execute(s.Plan.Runs[0]));

        var e = Assert.Throws<JournalError>(() => Prepare().OpenJournal(Dir("unfinished"), resume: false));
        Assert.Contains($"--resume {Dir("unfinished")}", e.Message);
        Assert.Contains($"1 of {s.Plan.Runs.Count} runs", e.Message);
    }

    [Fact]
    public void FreshStart_OverAFinishedOutput_ReplacesIt_ButNotOverSomeoneElsesFolder()
    {
        var s = Prepare();
        s.WriteOutput(RunAll(s, Dir("finished")));
        using (Prepare("experiment.seed=2").OpenJournal(Dir("finished"), resume: false)) { }

        Directory.CreateDirectory(Dir("mine"));
        System.IO.File.WriteAllText(Path.Combine(Dir("mine"), "notes.txt"), "keep me");
        var e = Assert.Throws<JournalError>(() => Prepare().OpenJournal(Dir("mine"), resume: false));
        Assert.Contains("not an ActorKernel output folder", e.Message);
        Assert.Equal("keep me", System.IO.File.ReadAllText(Path.Combine(Dir("mine"), "notes.txt")));
    }

    [Fact]
    public void ConfigHash_IgnoresCommentLines_NotValues()
    {
        var conf = Prepare().Config.RenderEffective();
        Assert.Equal(ExperimentIdentity.ConfigHash(conf), ExperimentIdentity.ConfigHash("# from elsewhere\n" + conf));
        Assert.NotEqual(ExperimentIdentity.ConfigHash(conf), ExperimentIdentity.ConfigHash(conf.Replace("exec-ns = 100000", "exec-ns = 100001")));
        Assert.Equal(Prepare().Identity, Prepare().Identity);
    }

    private static RunJournal RunAll(ExperimentSession s, string dir)
    {
        var journal = s.OpenJournal(dir, resume: false);
        s.Run(journal, 2, null, CancellationToken.None);
        return journal;
    }

    private static Running.RunRecord Execute(Planning.RunSpec spec)
    {
        using var runner = new Running.ExperimentRunner(1);
        return Running.ExperimentRunner.Execute(runner.Lanes[0], spec);
    }
}
