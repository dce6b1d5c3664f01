using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ActorKernel.Experiments.Planning;
using ActorKernel.Experiments.Running;

namespace ActorKernel.Experiments.Results;

/// <summary>
/// A finished run as one line of JSON and back: a line of a sweep's journal (runs.jsonl) and what a
/// cluster worker sends its coordinator. Lossless: decoded records give byte-identical results files.
/// Deterministic: fields in a fixed order, maps in their sorted order, numbers invariant. The run's
/// spec is not written, only what identifies it in its plan (run, point index, repetition, policy,
/// seed); decoding takes the spec from the plan and checks that they match.
/// </summary>
public static class RunRecordJson
{
    /// <summary>Names this line format; a line of another format does not decode.</summary>
    public const string Schema = "actorkernel/run-record/v1";

    private static readonly JsonWriterOptions Options = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>One line of compact JSON, without a newline in it or after it, holding every field of <paramref name="record"/>.</summary>
    public static string Encode(RunRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            var spec = record.Spec;
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteNumber("run", spec.Run);
            w.WriteNumber("pointIndex", spec.PointIndex);
            w.WriteNumber("repetition", spec.Repetition);
            w.WriteString("policy", spec.Policy.Name);
            w.WriteNumber("seed", spec.Seed);
            w.WriteNumber("events", record.Events);
            w.WriteNumber("virtualTimeNs", record.VirtualTimeNs);
            if (record.Failure is null) w.WriteNull("failure");
            else w.WriteString("failure", record.Failure);
            if (record.Metrics is null)
            {
                w.WriteNull("metrics");
            }
            else
            {
                w.WriteStartObject("metrics");
                RunMetricsJson.Write(w, record.Metrics, RunMetricsJson.Form.Journal);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// The record an <see cref="Encode"/>d <paramref name="line"/> holds, its spec taken from
    /// <paramref name="plan"/>. Throws <see cref="FormatException"/> with a one-line message naming the
    /// run (when known) and what is wrong, for a line that is not such a record or whose run is not the plan's.
    /// Without <paramref name="withHistogram"/> the latency histogram is not decoded (null in the record).
    /// </summary>
    public static RunRecord Decode(string line, ExperimentPlan plan, bool withHistogram = true)
    {
        using var doc = Parse(line);
        var f = new JsonFields(doc.RootElement, "");
        var schema = f.String("schema");
        if (schema != Schema) throw new FormatException($"schema \"{schema}\", expected \"{Schema}\"");
        var run = f.Int("run");
        try
        {
            var spec = SpecInPlan(f, run, plan);
            var metrics = f.NullableObject("metrics") is { } m ? RunMetricsJson.Read(m, withHistogram) : null;
            return new RunRecord(spec, metrics, f.NullableString("failure"), f.Long("events"), f.Long("virtualTimeNs"));
        }
        catch (FormatException e)
        {
            throw new FormatException($"run {run}: {e.Message}", e);
        }
    }

    private static JsonDocument Parse(string line)
    {
        try
        {
            return JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new FormatException($"not JSON: {e.Message}", e);
        }
    }

    // The plan's spec of the run, once the line is seen to describe that same run.
    private static RunSpec SpecInPlan(JsonFields f, int run, ExperimentPlan plan)
    {
        if (run < 0 || run >= plan.Runs.Count) throw new FormatException($"not in the plan, which has {plan.Runs.Count} runs");
        var spec = plan.Runs[run];
        Match("point index", f.Int("pointIndex"), spec.PointIndex);
        Match("repetition", f.Int("repetition"), spec.Repetition);
        Match("policy", f.String("policy"), spec.Policy.Name);
        Match("seed", f.ULong("seed"), spec.Seed);
        return spec;
    }

    private static void Match<T>(string what, T inLine, T inPlan) where T : IEquatable<T>
    {
        if (!inLine.Equals(inPlan)) throw new FormatException($"{what} {inLine} in the line, {inPlan} in the plan");
    }
}
