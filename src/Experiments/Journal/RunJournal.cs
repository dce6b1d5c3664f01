using System.Text;
using System.Text.Json;
using ActorKernel.Experiments.Planning;
using ActorKernel.Experiments.Results;
using ActorKernel.Experiments.Running;

namespace ActorKernel.Experiments.Journal;

/// <summary>
/// <c>runs.jsonl</c> in the output folder: a header line naming the experiment
/// (<see cref="ExperimentIdentity"/>), then one line per finished run
/// (<see cref="RunRecordJson"/>), appended and flushed to the operating system as each run
/// finishes, before the run counts as done. A sweep killed at any point loses only the runs
/// in progress; <see cref="Resume"/> continues it. Each run is recorded once: a second result
/// for the same run (a re-issued cluster run whose first worker came back) is ignored.
/// </summary>
/// <remarks>
/// The records handed out are always decoded from the journal line, whichever path produced
/// it (a local lane, a cluster worker, a previous process), so the results built from them do
/// not depend on that path.
/// </remarks>
public sealed class RunJournal : IDisposable
{
    public const string FileName = "runs.jsonl";
    public const string Format = "actorkernel/runs/v1";

    private readonly object _gate = new();
    private readonly ExperimentPlan _plan;
    private readonly RunRecord?[] _done;
    private readonly string?[] _lines;
    private FileStream? _file;
    private int _count;

    private RunJournal(string dir, ExperimentIdentity identity, ExperimentPlan plan, FileStream file)
    {
        Directory = dir;
        Identity = identity;
        _plan = plan;
        _done = new RunRecord?[plan.Runs.Count];
        _lines = new string?[plan.Runs.Count];
        _file = file;
    }

    public string Directory { get; }

    public ExperimentIdentity Identity { get; }

    /// <summary>Runs recorded so far (including those found when resuming).</summary>
    public int Count
    {
        get { lock (_gate) return _count; }
    }

    /// <summary>
    /// Start a fresh journal in <paramref name="dir"/>. The folder may not exist, be empty, or hold a
    /// finished ActorKernel output (which the new results will replace); an unfinished sweep or a
    /// folder that is not ActorKernel's is refused.
    /// </summary>
    public static RunJournal Start(string dir, ExperimentIdentity identity, ExperimentPlan plan)
    {
        CheckFreshTarget(dir);
        System.IO.Directory.CreateDirectory(dir);
        var file = new FileStream(Path.Combine(dir, FileName), FileMode.Create, FileAccess.Write, FileShare.Read);
        var journal = new RunJournal(dir, identity, plan, file);
        journal.WriteLine(Header(identity));
        return journal;
    }

    /// <summary>
    /// Refuse <paramref name="dir"/> as the target of a fresh run when it holds an unfinished sweep
    /// (resume it instead) or files that are not an ActorKernel output (they would be replaced).
    /// </summary>
    public static void CheckFreshTarget(string dir)
    {
        if (!System.IO.Directory.Exists(dir) || !System.IO.Directory.EnumerateFileSystemEntries(dir).Any()) return;
        var journal = Path.Combine(dir, FileName);
        if (File.Exists(journal))
        {
            var (header, lines) = ReadHeader(journal);
            if (header is not null && lines < header.Runs)
                throw new JournalError($"{dir} holds an unfinished sweep of '{header.Experiment}' ({lines} of {header.Runs} runs); " +
                                       $"continue it with --resume {dir}, or remove it or choose another --out to start afresh");
            return;
        }
        if (!File.Exists(Path.Combine(dir, "results.json")) && !File.Exists(Path.Combine(dir, "effective.conf")))
            throw new JournalError($"{dir} exists and is not an ActorKernel output folder (no runs.jsonl or results.json); choose another --out");
    }

    /// <summary>Reopen the journal in <paramref name="dir"/> to add the missing runs of the same experiment.</summary>
    public static RunJournal Resume(string dir, ExperimentIdentity identity, ExperimentPlan plan)
    {
        var path = Path.Combine(dir, FileName);
        if (!File.Exists(path))
            throw new JournalError($"cannot resume {dir}: it has no {FileName} (is it the output folder of a run?)");
        var bytes = File.ReadAllBytes(path);
        var text = Encoding.UTF8.GetString(bytes);
        var lines = text.Split('\n');
        var found = ParseHeader(lines[0]) ?? throw new JournalError($"cannot resume {dir}: the first line of {FileName} is not an ActorKernel journal header");
        if (identity.Mismatch(found) is { } why)
            throw new JournalError($"cannot resume {dir}: {why}");

        // Whole lines only: a crash can leave a last line without its newline (the last element
        // of the split); it is dropped, and cut from the file before appending.
        var complete = Math.Max(1, lines.Length - 1);
        var keepBytes = Encoding.UTF8.GetByteCount(string.Join('\n', lines.Take(complete)) + "\n");
        var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        file.SetLength(keepBytes);
        if (lines.Length == 1) { file.Seek(keepBytes - 1, SeekOrigin.Begin); file.WriteByte((byte)'\n'); }
        file.Seek(0, SeekOrigin.End);
        var journal = new RunJournal(dir, identity, plan, file);
        for (var i = 1; i < complete; i++)
        {
            if (lines[i].Length == 0) continue;
            RunRecord record;
            try
            {
                record = RunRecordJson.Decode(lines[i], plan);
            }
            catch (FormatException e)
            {
                journal.Dispose();
                throw new JournalError($"cannot resume {dir}: {FileName} line {i + 1}: {e.Message}");
            }
            journal.Add(record, RunRecordJson.Encode(record));
        }
        return journal;
    }

    /// <summary>Whether run <paramref name="run"/> is recorded.</summary>
    public bool IsDone(int run)
    {
        lock (_gate) return _done[run] is not null;
    }

    /// <summary>The plan's runs not recorded yet, in plan order.</summary>
    public IReadOnlyList<RunSpec> Missing()
    {
        lock (_gate) return _plan.Runs.Where(r => _done[r.Run] is null).ToArray();
    }

    /// <summary>Record a finished run; returns the record as decoded from its journal line, or null if the run was already recorded.</summary>
    public RunRecord? Record(RunRecord record)
    {
        var line = RunRecordJson.Encode(record);
        return Record(RunRecordJson.Decode(line, _plan), line, line);
    }

    /// <summary>
    /// Record a finished run given as its journal line (as a cluster worker sends it). Throws
    /// <see cref="FormatException"/> for a line that does not belong to the plan.
    /// </summary>
    public RunRecord? Record(string line)
    {
        var record = RunRecordJson.Decode(line, _plan);
        // Re-encoded here for the finished folder: another machine's runtime may compress the
        // latency histogram to other (equally valid) bytes.
        return Record(record, line, RunRecordJson.Encode(record));
    }

    private RunRecord? Record(RunRecord record, string line, string canonicalLine)
    {
        lock (_gate)
        {
            if (_done[record.Spec.Run] is not null) return null;
            WriteLine(line);
            Add(record, canonicalLine);
            return record;
        }
    }

    /// <summary>Every recorded run, in plan order.</summary>
    public IReadOnlyList<RunRecord> Records()
    {
        lock (_gate) return _done.Where(r => r is not null).Select(r => r!).ToArray();
    }

    /// <summary>The journal as the finished output folder keeps it: the header, then the runs in plan order (so it too is the same whichever order runs finished in).</summary>
    public byte[] Canonical()
    {
        var sb = new StringBuilder();
        sb.Append(Header(Identity)).Append('\n');
        lock (_gate)
        {
            foreach (var line in _lines)
                if (line is not null) sb.Append(line).Append('\n');
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _file?.Dispose();
            _file = null;
        }
    }

    private void Add(RunRecord record, string canonicalLine)
    {
        if (_done[record.Spec.Run] is not null) return;
        _done[record.Spec.Run] = record;
        _lines[record.Spec.Run] = canonicalLine;
        _count++;
    }

    private void WriteLine(string line)
    {
        var file = _file ?? throw new ObjectDisposedException(nameof(RunJournal));
        file.Write(Encoding.UTF8.GetBytes(line + "\n"));
        // To the operating system: a killed process loses nothing written; a machine crash may.
        file.Flush();
    }

    internal static string Header(ExperimentIdentity id)
    {
        using var ms = new MemoryStream();
        // Relaxed escaping: the version's '+' stays readable.
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteString("experiment", id.Experiment);
            w.WriteNumber("seed", id.Seed);
            w.WriteString("configSha256", id.ConfigSha256);
            w.WriteString("version", id.Version);
            w.WriteNumber("runs", id.Runs);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    internal static ExperimentIdentity? ParseHeader(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var o = doc.RootElement;
            if (o.ValueKind != JsonValueKind.Object || !o.TryGetProperty("format", out var f) || f.GetString() != Format) return null;
            return new ExperimentIdentity(
                o.GetProperty("experiment").GetString()!,
                o.GetProperty("seed").GetInt64(),
                o.GetProperty("configSha256").GetString()!,
                o.GetProperty("version").GetString()!,
                o.GetProperty("runs").GetInt32());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    // The header and how many complete run lines follow it (not decoded: only counted).
    private static (ExperimentIdentity? Header, int Lines) ReadHeader(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        var header = ParseHeader(reader.ReadLine() ?? "");
        var text = reader.ReadToEnd();
        var lines = text.Split('\n');
        var complete = lines.Take(lines.Length - 1).Count(l => l.Length > 0);
        return (header, complete);
    }
}
