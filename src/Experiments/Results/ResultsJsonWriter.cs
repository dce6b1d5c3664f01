using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ActorKernel.Actors.Metrics;
using ActorKernel.Experiments.Running;

namespace ActorKernel.Experiments.Results;

/// <summary>
/// Writes results.json, the contract other tools read (docs/results.md). Fields are written
/// in a fixed order and maps sorted by key, so equal runs give byte-identical files. No
/// wall-clock value appears in it.
/// </summary>
public static class ResultsJsonWriter
{
    public const string Schema = "actorkernel/results/v1";

    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(ResultsDocument doc)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Options))
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteString("experiment", doc.Experiment);
            w.WriteString("kernel", doc.Kernel);
            w.WriteNumber("seed", doc.Seed);
            w.WriteStartArray("runs");
            foreach (var r in doc.Records) WriteRun(w, r);
            w.WriteEndArray();
            w.WriteStartArray("summary");
            foreach (var s in doc.Summaries ?? PointSummary.Of(doc.Records)) WriteSummary(w, s);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteRun(Utf8JsonWriter w, RunRecord r)
    {
        w.WriteStartObject();
        w.WriteNumber("run", r.Spec.Run);
        w.WriteNumber("seed", r.Spec.Seed);
        w.WriteString("policy", r.Spec.Policy.Name);
        WritePoint(w, r.Spec.Point);
        w.WriteNumber("repetition", r.Spec.Repetition);
        if (r.Metrics is { } m) RunMetricsJson.Write(w, m, RunMetricsJson.Form.Results);
        w.WriteNumber("events", r.Events);
        w.WriteNumber("virtualTimeNs", r.VirtualTimeNs);
        if (r.Failure is not null) w.WriteString("failure", r.Failure);
        w.WriteEndObject();
    }

    private static void WriteSummary(Utf8JsonWriter w, PointSummary s)
    {
        w.WriteStartObject();
        w.WriteString("policy", s.Policy.Name);
        WritePoint(w, s.Point);
        w.WriteNumber("runs", s.Runs);
        w.WriteNumber("failedRuns", s.FailedRuns);
        w.WriteNumber("reads", s.Reads);
        w.WriteNumber("failed", s.Failed);
        w.WriteNumber("skipped", s.Skipped);
        w.WriteNumber("failureRate", Math.Round(s.FailureRate, 6));
        w.WriteStartArray("failureRate95");
        w.WriteNumberValue(Math.Round(s.RateLow95, 6));
        w.WriteNumberValue(Math.Round(s.RateHigh95, 6));
        w.WriteEndArray();
        w.WriteStartObject("byCause");
        foreach (var (cause, n) in s.CausesByCount.OrderBy(c => c.Key, StringComparer.Ordinal)) w.WriteNumber(cause, n);
        w.WriteEndObject();
        var p = s.Pooled;
        RunMetricsJson.WriteLatency(w, p.LatencyNs);
        w.WriteNumber("staleReads", p.StaleReads);
        w.WriteNumber("deferredReads", p.DeferredReads);
        w.WriteStartObject("workloadDelay");
        w.WriteNumber("writerOps", p.WriterOps);
        w.WriteNumber("writerWaitNsTotal", p.WriterWaitNsTotal);
        w.WriteNumber("writerWaitByProbeNsTotal", p.WriterWaitByProbeNsTotal);
        w.WriteNumber("writerWaitByProbeNsPerOp", Math.Round(p.WriterWaitByProbeNsPerOp, 3));
        w.WriteNumber("probeFaultAndLockNsTotal", p.ProbeFaultAndLockNsTotal);
        w.WriteEndObject();
        w.WriteStartObject("locks");
        w.WriteNumber("trylockAttempts", p.TrylockAttempts);
        w.WriteNumber("trylockFailures", p.TrylockFailures);
        w.WriteNumber("vmaReadFailures", p.VmaReadFailures);
        w.WriteNumber("handoffs", p.Handoffs);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WritePoint(Utf8JsonWriter w, IEnumerable<Planning.PointValue> point)
    {
        w.WriteStartObject("point");
        foreach (var p in point) w.WriteString(p.Key, p.Value);
        w.WriteEndObject();
    }
}

/// <summary>Everything results.json says.</summary>
public sealed record ResultsDocument(string Experiment, string Kernel, long Seed, IReadOnlyList<RunRecord> Records)
{
    /// <summary>The point summaries when already computed (once per output, from a journal's pooled latencies); else computed from <see cref="Records"/>.</summary>
    public IReadOnlyList<PointSummary>? Summaries { get; init; }
}
