using ActorKernel.Experiments.Planning;
using ActorKernel.Experiments.Results;

namespace ActorKernel.Experiments.Journal;

/// <summary>
/// Where a sweep's journal will be, decided by <see cref="RunJournal.Check"/> from reading alone:
/// nothing is created or changed until <see cref="Open"/>, which the caller calls once everything
/// else about the run has been accepted.
/// </summary>
public sealed class JournalTarget
{
    private readonly ExperimentIdentity _identity;
    private readonly ExperimentPlan _plan;
    private readonly JournalFile.Decoded? _resumed;
    private readonly IReadOnlyList<string> _leftovers;

    internal JournalTarget(string directory, string journalFolder, ExperimentIdentity identity, ExperimentPlan plan, JournalFile.Decoded? resumed, IReadOnlyList<string> leftovers)
    {
        Directory = directory;
        JournalFolder = journalFolder;
        _identity = identity;
        _plan = plan;
        _resumed = resumed;
        _leftovers = leftovers;
    }

    /// <summary>The output folder (full path).</summary>
    public string Directory { get; }

    /// <summary>Where runs.jsonl grows: the output folder, or its <see cref="RunJournal.SweepSuffix"/> sibling while a finished folder waits to be replaced.</summary>
    public string JournalFolder { get; }

    /// <summary>Whether this continues a journal (--resume) rather than starting one.</summary>
    public bool Resumes => _resumed is not null;

    /// <summary>
    /// Remove ActorKernel's leftovers from an interrupted replacement, then create the journal (a new
    /// folder with its list and the header) or reopen it for appending (cutting a torn last line).
    /// Throws <see cref="JournalError"/> when the file system refuses; what it created is removed.
    /// </summary>
    public RunJournal Open()
    {
        foreach (var leftover in _leftovers)
        {
            OutputFolder.Remove(leftover);
            OutputFolder.Step($"leftover {leftover} removed");
        }
        var path = Path.Combine(JournalFolder, RunJournal.FileName);
        return _resumed is null ? Create(path) : Append(path, _resumed);
    }

    private RunJournal Create(string path)
    {
        var existed = System.IO.Directory.Exists(JournalFolder);
        FileStream? file = null;
        try
        {
            OutputFolder.Create(JournalFolder, [RunJournal.FileName]);
            file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
            var journal = new RunJournal(Directory, JournalFolder, _identity, _plan, file);
            journal.WriteHeader();
            OutputFolder.Step("journal header written");
            return journal;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            file?.Dispose();
            if (!existed) TryRemove(JournalFolder);
            throw new JournalError($"cannot write {JournalFolder}: {e.Message}");
        }
    }

    private RunJournal Append(string path, JournalFile.Decoded resumed)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
            if (file.Length != resumed.KeepBytes) file.SetLength(resumed.KeepBytes);
            file.Seek(0, SeekOrigin.End);
            if (resumed.AddNewline) file.WriteByte((byte)'\n');
            file.Flush();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new JournalError($"cannot write {path}: {e.Message}");
        }
        OutputFolder.Step("journal reopened");
        var journal = new RunJournal(Directory, JournalFolder, _identity, _plan, file);
        foreach (var (record, line) in resumed.Records) journal.Add(record, line);
        return journal;
    }

    private static void TryRemove(string folder)
    {
        try
        {
            OutputFolder.Remove(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JournalError)
        {
            // Reporting why the journal could not be created matters more; the next run names what is left.
        }
    }
}
