using System.Text;
using ActorKernel.Experiments.Planning;
using ActorKernel.Experiments.Results;
using ActorKernel.Experiments.Running;

namespace ActorKernel.Experiments.Journal;

/// <summary>
/// A <c>runs.jsonl</c> as found on disk, read (never written) and taken apart into its header
/// and lines, so that a journal is judged completely before anything touches it.
/// </summary>
internal sealed class JournalFile
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // What every run line begins with; a torn last line is a prefix of a line, so it begins with (part of) this too.
    private static readonly byte[] RecordStart = Encoding.UTF8.GetBytes($"{{\"schema\":\"{RunRecordJson.Schema}\"");

    private readonly byte[] _bytes;
    private readonly int _headerEnd;

    private JournalFile(string path, byte[] bytes)
    {
        Path = path;
        _bytes = bytes;
        var newline = Array.IndexOf(bytes, (byte)'\n');
        _headerEnd = newline < 0 ? bytes.Length : newline;
        try
        {
            Header = RunJournal.ParseHeader(StrictUtf8.GetString(bytes, 0, _headerEnd));
        }
        catch (DecoderFallbackException)
        {
            Header = null;
        }
        var lines = 0;
        for (var i = _headerEnd + 1; i < bytes.Length; i++)
            if (bytes[i] == '\n' && bytes[i - 1] != '\n') lines++;
        CompleteLines = lines;
    }

    public string Path { get; }

    /// <summary>The header, or null when the first line is not an ActorKernel journal header.</summary>
    public ExperimentIdentity? Header { get; }

    /// <summary>Run lines ended by a newline (counted, not decoded).</summary>
    public int CompleteLines { get; }

    /// <summary>Whether it holds as many run lines as its plan has runs.</summary>
    public bool Finished => Header is not null && CompleteLines >= Header.Runs;

    /// <summary>Read the journal at <paramref name="path"/>; <see cref="JournalError"/> when it cannot be read or is not a regular file.</summary>
    public static JournalFile Read(string path)
    {
        try
        {
            using var stream = Posix.OpenRegularForRead(path)
                ?? throw new JournalError($"{path} is not a regular file, so not an ActorKernel journal");
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return new JournalFile(path, buffer.ToArray());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new JournalError($"cannot read {path}: {e.Message}");
        }
    }

    /// <summary>
    /// Every line decoded against <paramref name="plan"/>, or the one-line reason the journal cannot be
    /// resumed. A last line without its newline is a run torn by a crash: dropped (it runs again) when
    /// it is the beginning of a run line, refused otherwise.
    /// </summary>
    public Decoded Decode(ExperimentPlan plan)
    {
        var records = new List<(RunRecord Record, string Line)>();
        var start = _headerEnd + 1;
        var lineNumber = 1;
        while (start < _bytes.Length)
        {
            lineNumber++;
            var end = Array.IndexOf(_bytes, (byte)'\n', start);
            if (end < 0)
            {
                if (!IsTornRecord(start))
                    throw new JournalError($"line {lineNumber} ({_bytes.Length - start} bytes without a newline) is not the beginning of a run record");
                return new Decoded(records, start, AddNewline: false);
            }
            if (end > start)
            {
                string line;
                try
                {
                    line = StrictUtf8.GetString(_bytes, start, end - start);
                }
                catch (DecoderFallbackException)
                {
                    throw new JournalError($"line {lineNumber} is not UTF-8 text");
                }
                try
                {
                    var record = RunRecordJson.Decode(line, plan);
                    records.Add((record, RunRecordJson.Encode(record)));
                }
                catch (Exception e) when (e is FormatException or InvalidDataException or ArgumentException or IndexOutOfRangeException or OverflowException or InvalidOperationException)
                {
                    // The last kinds come from decoding a damaged latency histogram.
                    throw new JournalError($"line {lineNumber}: {e.Message}");
                }
            }
            start = end + 1;
        }
        // A header without its newline (nothing after it): resuming adds the newline.
        return new Decoded(records, _bytes.Length, AddNewline: _headerEnd == _bytes.Length);
    }

    private bool IsTornRecord(int start)
    {
        var n = Math.Min(_bytes.Length - start, RecordStart.Length);
        return _bytes.AsSpan(start, n).SequenceEqual(RecordStart.AsSpan(0, n)) && Array.IndexOf(_bytes, (byte)0, start) < 0;
    }

    /// <summary>The decoded runs, how many bytes of the file to keep (the rest is a torn line) and whether a newline must follow the header.</summary>
    public sealed record Decoded(IReadOnlyList<(RunRecord Record, string Line)> Records, long KeepBytes, bool AddNewline);
}
