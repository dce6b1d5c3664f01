using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ActorKernel.Actors.Metrics;
using ActorKernel.Actors.Probe;
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
            foreach (var s in PointSummary.Of(doc.Records)) WriteSummary(w, s);
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
        w.WriteString("policy", r.Spec.Policy.ToName());
        WritePoint(w, r.Spec.Point);
        w.WriteNumber("repetition", r.Spec.Repetition);
        if (r.Metrics is { } m)
        {
            w.WriteStartObject("reads");
            w.WriteNumber("total", m.ReadsTotal);
            w.WriteNumber("ok", m.ReadsOk);
            w.WriteNumber("failed", m.ReadsFailed);
            w.WriteNumber("skipped", m.ReadsSkipped);
            w.WriteStartObject("byCause");
            foreach (var (cause, n) in m.ByCause) w.WriteNumber(cause, n);
            w.WriteEndObject();
            w.WriteStartObject("byTarget");
            foreach (var (target, t) in m.ByTarget)
            {
                w.WriteStartObject(target);
                w.WriteNumber("total", t.Total);
                w.WriteNumber("failed", t.Failed);
                w.WriteNumber("skipped", t.Skipped);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
            WriteLatency(w, m.ProbeLatencyNs);
            w.WriteStartObject("faults");
            w.WriteNumber("minor", m.MinorFaults);
            w.WriteNumber("major", m.MajorFaults);
            w.WriteEndObject();
            w.WriteStartObject("fork");
            w.WriteNumber("count", m.Forks);
            w.WriteNumber("writeLockHoldNsTotal", m.ForkWriteLockHoldNsTotal);
            w.WriteNumber("writeLockHoldNsMax", m.ForkWriteLockHoldNsMax);
            w.WriteEndObject();
            w.WriteNumber("execs", m.Execs);
            NumaJson.Write(w, m);
            WritePolicyFigures(w, m.Policy);
        }
        w.WriteNumber("events", r.Events);
        w.WriteNumber("virtualTimeNs", r.VirtualTimeNs);
        if (r.Failure is not null) w.WriteString("failure", r.Failure);
        w.WriteEndObject();
    }

    private static void WriteSummary(Utf8JsonWriter w, PointSummary s)
    {
        w.WriteStartObject();
        w.WriteString("policy", s.Policy.ToName());
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
        WriteLatency(w, p.LatencyNs);
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

    // What the policies add to a run: staleness, lock statistics, the delay imposed on the workload.
    private static void WritePolicyFigures(Utf8JsonWriter w, PolicyMetrics p)
    {
        w.WriteNumber("staleReads", p.StaleReads);
        w.WriteNumber("deferredReads", p.DeferredReads);
        var l = p.Locks;
        w.WriteStartObject("locks");
        w.WriteStartObject("mmap");
        w.WriteNumber("writeHoldNsTotal", l.WriteHoldNsTotal);
        w.WriteNumber("readHoldNsTotal", l.ReadHoldNsTotal);
        w.WriteNumber("writeWaitNsTotal", l.WriteWaitNsTotal);
        w.WriteNumber("readWaitNsTotal", l.ReadWaitNsTotal);
        w.WriteNumber("writeAcquisitions", l.WriteAcquisitions);
        w.WriteNumber("trylockAttempts", l.TrylockAttempts);
        w.WriteNumber("trylockFailures", l.TrylockFailures);
        w.WriteNumber("handoffs", l.Handoffs);
        w.WriteEndObject();
        w.WriteStartObject("vma");
        w.WriteNumber("readAttempts", l.VmaReadAttempts);
        w.WriteNumber("readFailures", l.VmaReadFailures);
        w.WriteEndObject();
        w.WriteEndObject();
        var d = p.Delay;
        w.WriteStartObject("workloadDelay");
        w.WriteNumber("writerOps", d.WriterOps);
        w.WriteNumber("writerWaitNsTotal", d.WriterWaitNsTotal);
        w.WriteNumber("writerWaitByProbeNsTotal", d.WriterWaitByProbeNsTotal);
        w.WriteNumber("writerWaitByProbeNsPerOp", Math.Round(d.WriterWaitByProbeNsPerOp, 3));
        w.WriteNumber("writersDelayedByProbe", d.WritersDelayedByProbe);
        w.WriteNumber("probeProgramNsTotal", d.ProbeProgramNsTotal);
        w.WriteNumber("probeFaultAndLockNsTotal", d.ProbeFaultAndLockNsTotal);
        w.WriteNumber("churnOps", d.ChurnOps);
        w.WriteEndObject();
    }

    private static void WritePoint(Utf8JsonWriter w, IEnumerable<Planning.PointValue> point)
    {
        w.WriteStartObject("point");
        foreach (var p in point) w.WriteString(p.Key, p.Value);
        w.WriteEndObject();
    }

    private static void WriteLatency(Utf8JsonWriter w, LatencySummary l)
    {
        w.WriteStartObject("probeLatencyNs");
        w.WriteNumber("p50", l.P50);
        w.WriteNumber("p90", l.P90);
        w.WriteNumber("p99", l.P99);
        w.WriteNumber("p999", l.P999);
        w.WriteNumber("max", l.Max);
        w.WriteEndObject();
    }
}

/// <summary>Everything results.json says.</summary>
public sealed record ResultsDocument(string Experiment, string Kernel, long Seed, IReadOnlyList<RunRecord> Records);
