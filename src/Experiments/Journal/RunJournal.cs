using System.Text;
using System.Text.Json;
using ActorKernel.Experiments.Planning;
using ActorKernel.Experiments.Results;
using ActorKernel.Experiments.Running;
using HdrHistogram;

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
    private readonly PointLatencies _latencies = new();
    private FileStream? _file;
    private int _count;

    internal RunJournal(string dir, string journalFolder, ExperimentIdentity identity, ExperimentPlan plan, FileStream file)
    {
        Directory = dir;
        JournalFolder = journalFolder;
        Identity = identity;
        _plan = plan;
        _done = new RunRecord?[plan.Runs.Count];
        _lines = new string?[plan.Runs.Count];
        _file = file;
    }

    /// <summary>Suffix of the sibling a sweep keeps its journal in while the finished folder it will replace stays untouched.</summary>
    public const string SweepSuffix = ".actorkernel-run";

    /// <summary>The output folder (full path).</summary>
    public string Directory { get; }

    /// <summary>The folder runs.jsonl grows in: <see cref="Directory"/>, or its <see cref="SweepSuffix"/> sibling when the sweep replaces a finished folder.</summary>
    public string JournalFolder { get; }

    public ExperimentIdentity Identity { get; }

    /// <summary>Runs recorded so far (including those found when resuming).</summary>
    public int Count
    {
        get { lock (_gate) return _count; }
    }

    /// <summary>Check, then create the journal of a fresh sweep in <paramref name="dir"/> (see <see cref="Check"/>).</summary>
    public static RunJournal Start(string dir, ExperimentIdentity identity, ExperimentPlan plan) =>
        Check(dir, identity, plan, resume: false).Open();

    /// <summary>Check, then reopen the journal in <paramref name="dir"/> to add the missing runs of the same experiment.</summary>
    public static RunJournal Resume(string dir, ExperimentIdentity identity, ExperimentPlan plan) =>
        Check(dir, identity, plan, resume: true).Open();

    /// <summary>
    /// Decide where the journal of a sweep into <paramref name="dir"/> goes, reading only: a
    /// <see cref="JournalError"/> (one line; nothing created, nothing changed, not even a time stamp)
    /// for a location no output folder can be made at, a folder that is not an ActorKernel output
    /// folder, a fresh start over an unfinished sweep, or a journal that cannot be resumed.
    /// </summary>
    /// <remarks>
    /// A fresh sweep grows its journal in <paramref name="dir"/> when that is absent or empty; when it
    /// holds a finished output, in the sibling <c>.NAME.actorkernel-run</c>, so the finished folder stays
    /// as it is until the new one replaces it. A resume continues the journal where it is.
    /// </remarks>
    public static JournalTarget Check(string dir, ExperimentIdentity identity, ExperimentPlan plan, bool resume)
    {
        var full = OutputFolder.CheckLocation(dir);
        var listed = OutputFolder.Inspect(full);
        var leftovers = OutputFolder.CheckLeftovers(full).ToList();

        var inFolder = listed is not null && listed.Contains(FileName) && File.Exists(Path.Combine(full, FileName))
            ? JournalFile.Read(Path.Combine(full, FileName))
            : null;
        var sweep = OutputFolder.Sibling(full, SweepSuffix);
        var inSweep = ReadSweep(sweep);
        // Killed after the finished folder was swapped in but before the sweep folder was removed: nothing left to do with it.
        if (inSweep is not null && inFolder is { Finished: true, Header: { } done } && inSweep.Finished && inSweep.Header == done)
        {
            leftovers.Add(sweep);
            inSweep = null;
        }

        if (resume)
        {
            var found = inSweep ?? inFolder
                ?? throw new JournalError($"cannot resume {dir}: it has no {FileName} (is it the output folder of a run?)");
            var header = found.Header
                ?? throw new JournalError($"cannot resume {dir}: the first line of {found.Path} is not an ActorKernel journal header");
            if (identity.Mismatch(header) is { } why)
                throw new JournalError($"cannot resume {dir}: {why}");
            JournalFile.Decoded decoded;
            try
            {
                decoded = found.Decode(plan);
            }
            catch (JournalError e)
            {
                throw new JournalError($"cannot resume {dir}: {found.Path} {e.Message}; the file is left as it was");
            }
            return new JournalTarget(full, Path.GetDirectoryName(found.Path)!, identity, plan, decoded, leftovers);
        }

        if (inSweep is not null)
            throw new JournalError($"{dir}: a sweep that was to replace it was interrupted{Progress(inSweep)}; its journal is in {sweep}: " +
                                   $"continue it with --resume {dir}, or remove {sweep} to start afresh");
        if (listed is null) return new JournalTarget(full, full, identity, plan, null, leftovers);
        if (inFolder is { Header: null })
            throw new JournalError($"{dir}: its {FileName} is not an ActorKernel journal (the first line is not a journal header); remove the folder or choose another --out");
        if (inFolder is { Finished: false })
            throw new JournalError($"{dir} holds an unfinished sweep{Progress(inFolder)}; " +
                                   $"continue it with --resume {dir}, or remove it or choose another --out to start afresh");
        return new JournalTarget(full, sweep, identity, plan, null, leftovers);
    }

    // The sweep sibling's journal, or null when there is no sibling; a sibling that is not ActorKernel's is refused.
    private static JournalFile? ReadSweep(string sweep)
    {
        IReadOnlyList<string>? listed;
        try
        {
            listed = OutputFolder.Inspect(sweep);
        }
        catch (JournalError e)
        {
            throw new JournalError($"{sweep} is in the way of ActorKernel's sweep folder: {e.Message}");
        }
        var path = Path.Combine(sweep, FileName);
        return listed is not null && listed.Contains(FileName) && File.Exists(path) ? JournalFile.Read(path) : null;
    }

    private static string Progress(JournalFile journal) =>
        journal.Header is { } h ? $" of '{h.Experiment}' ({journal.CompleteLines} of {h.Runs} runs)" : "";

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

    /// <summary>
    /// Record a finished run; returns the record as decoded from its journal line (without its latency
    /// histogram, see <see cref="Latencies"/>), or null if the run was already recorded. The histogram of
    /// <paramref name="record"/> itself is added to <see cref="Latencies"/>: the line holds it losslessly,
    /// so decoding it again (≈270 KB per run) would add the same counts.
    /// </summary>
    public RunRecord? Record(RunRecord record)
    {
        var line = RunRecordJson.Encode(record);
        return Record(RunRecordJson.Decode(line, _plan, withHistogram: false), line, line, record.Metrics?.Policy.LatencyHistogram);
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
        return Record(record, line, RunRecordJson.Encode(record), record.Metrics?.Policy.LatencyHistogram);
    }

    private RunRecord? Record(RunRecord record, string line, string canonicalLine, LongHistogram? latencies)
    {
        lock (_gate)
        {
            if (_done[record.Spec.Run] is not null) return null;
            WriteLine(line);
            Add(record, canonicalLine, latencies);
            return WithoutHistogram(record);
        }
    }

    /// <summary>Every recorded run, in plan order, without latency histograms: those are pooled in <see cref="Latencies"/>.</summary>
    public IReadOnlyList<RunRecord> Records()
    {
        lock (_gate) return _done.Where(r => r is not null).Select(r => r!).ToArray();
    }

    /// <summary>The recorded runs' latency histograms, pooled per point × policy (for <see cref="PointSummary.Of"/>).</summary>
    public PointLatencies Latencies => _latencies;

    /// <summary>The canonical journal line of run <paramref name="run"/>, or null when it is not recorded.</summary>
    public string? Line(int run)
    {
        lock (_gate) return _lines[run];
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

    internal void Add(RunRecord record, string canonicalLine) =>
        Add(record, canonicalLine, record.Metrics?.Policy.LatencyHistogram);

    // A run's histogram goes into the pool of its point and policy; the record is kept without it.
    private void Add(RunRecord record, string canonicalLine, LongHistogram? latencies)
    {
        if (_done[record.Spec.Run] is not null) return;
        if (latencies is not null) _latencies.Add(record.Spec, latencies);
        _done[record.Spec.Run] = WithoutHistogram(record);
        _lines[record.Spec.Run] = canonicalLine;
        _count++;
    }

    private static RunRecord WithoutHistogram(RunRecord record) =>
        record.Metrics is { Policy.LatencyHistogram: not null } m
            ? record with { Metrics = m with { Policy = m.Policy with { LatencyHistogram = null } } }
            : record;

    internal void WriteHeader() => WriteLine(Header(Identity));

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
}
