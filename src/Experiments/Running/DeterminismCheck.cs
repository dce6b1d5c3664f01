using System.Globalization;
using System.Text.Json;
using ActorKernel.Actors.Probe;
using ActorKernel.Experiments.Planning;
using ActorKernel.Experiments.Results;

namespace ActorKernel.Experiments.Running;

/// <summary>
/// <c>run --check-determinism</c>: a sample of a finished sweep's runs is run again, on a fresh
/// runner (another actor system, another lane) and in reverse order, and each re-run's journal
/// line (<see cref="RunRecordJson"/>) is compared byte for byte with the sweep's. A run depends only
/// on its spec and seed, so any difference is a determinism bug (wall clock, ambient randomness,
/// unordered iteration, state leaking between runs); the report names the first differing field.
/// It does not catch what differs only between processes (string hash seeds): <c>--resume</c> and a
/// cluster, whose records come from other processes, compare with the golden tests instead.
/// </summary>
public static class DeterminismCheck
{
    /// <summary>The most runs re-run: spread evenly over the plan, the first and the last included.</summary>
    public const int SampleSize = 8;

    /// <summary>What the check did: how many runs it re-ran, and the first difference (one line), or null when every line was identical.</summary>
    public sealed record Report(int Checked, string? Difference)
    {
        public bool Identical => Difference is null;
    }

    /// <summary>
    /// Runs the sample of <paramref name="records"/> (in plan order, as a journal gives them) again and compares,
    /// with each record's journal line from <paramref name="recordedLine"/> when given (a journal's records no
    /// longer hold their latency histograms; its lines do), else encoded from the record.
    /// </summary>
    public static Report Run(IReadOnlyList<RunRecord> records, Func<RunRecord, string>? recordedLine = null, CancellationToken cancel = default)
    {
        var sample = Sample(records);
        var again = new RunRecord?[sample.Count];
        var index = sample.Select((r, i) => (r.Spec.Run, i)).ToDictionary(p => p.Run, p => p.i);
        using (var runner = new ExperimentRunner(2))
            runner.Run(sample.Select(r => r.Spec).Reverse().ToArray(), r => again[index[r.Spec.Run]] = r, cancel: cancel);
        if (again.Any(r => r is null)) return new Report(again.Count(r => r is not null), null);
        return Compare(sample, again.Select(r => r!).ToArray(), recordedLine);
    }

    /// <summary>At most <see cref="SampleSize"/> of <paramref name="records"/>, evenly spread, in their order.</summary>
    public static IReadOnlyList<RunRecord> Sample(IReadOnlyList<RunRecord> records)
    {
        if (records.Count <= SampleSize) return records;
        return Enumerable.Range(0, SampleSize)
            .Select(i => records[(int)((long)i * (records.Count - 1) / (SampleSize - 1))])
            .ToArray();
    }

    /// <summary>Compares each record with its re-run, pairwise, by their journal lines; the first difference is reported.</summary>
    public static Report Compare(IReadOnlyList<RunRecord> recorded, IReadOnlyList<RunRecord> rerun, Func<RunRecord, string>? recordedLine = null)
    {
        if (recorded.Count != rerun.Count)
            throw new ArgumentException($"{recorded.Count} records but {rerun.Count} re-runs", nameof(rerun));
        for (var i = 0; i < recorded.Count; i++)
        {
            var first = recordedLine?.Invoke(recorded[i]) ?? RunRecordJson.Encode(recorded[i]);
            var second = RunRecordJson.Encode(rerun[i]);
            if (first == second) continue;
            var spec = recorded[i].Spec;
            var (field, a, b) = FirstDifference(first, second);
            return new Report(recorded.Count,
                $"determinism check failed: run {spec.Run} (point {spec.PointIndex}, policy {spec.Policy.Name}, repetition {spec.Repetition}, seed {spec.Seed}) " +
                $"differs when run again, first at {field}: {a} in the sweep, {b} when run again");
        }
        return new Report(recorded.Count, null);
    }

    /// <summary>The path of the first field at which two journal lines differ (fields in the order written), and the two values.</summary>
    public static (string Field, string First, string Second) FirstDifference(string firstLine, string secondLine)
    {
        using var a = JsonDocument.Parse(firstLine);
        using var b = JsonDocument.Parse(secondLine);
        return Walk(a.RootElement, b.RootElement, "") ?? ("(the line's bytes)", Short(firstLine), Short(secondLine));
    }

    private static (string, string, string)? Walk(JsonElement a, JsonElement b, string path)
    {
        if (a.ValueKind != b.ValueKind) return (Name(path), Short(a.GetRawText()), Short(b.GetRawText()));
        switch (a.ValueKind)
        {
            case JsonValueKind.Object:
            {
                var pa = a.EnumerateObject().ToArray();
                var pb = b.EnumerateObject().ToArray();
                for (var i = 0; i < Math.Max(pa.Length, pb.Length); i++)
                {
                    if (i >= pa.Length || i >= pb.Length || pa[i].Name != pb[i].Name)
                    {
                        var name = i < pa.Length ? pa[i].Name : pb[i].Name;
                        return (Name(Join(path, name)), i < pa.Length ? Short(pa[i].Value.GetRawText()) : "(absent)", i < pb.Length && pb[i].Name == name ? Short(pb[i].Value.GetRawText()) : "(absent)");
                    }
                    if (Walk(pa[i].Value, pb[i].Value, Join(path, pa[i].Name)) is { } d) return d;
                }
                return null;
            }
            case JsonValueKind.Array:
            {
                var ea = a.EnumerateArray().ToArray();
                var eb = b.EnumerateArray().ToArray();
                for (var i = 0; i < Math.Min(ea.Length, eb.Length); i++)
                    if (Walk(ea[i], eb[i], $"{path}[{i.ToString(CultureInfo.InvariantCulture)}]") is { } d) return d;
                return ea.Length == eb.Length ? null : ($"{Name(path)} (length)", ea.Length.ToString(CultureInfo.InvariantCulture), eb.Length.ToString(CultureInfo.InvariantCulture));
            }
            default:
                return a.GetRawText() == b.GetRawText() ? null : (Name(path), Short(a.GetRawText()), Short(b.GetRawText()));
        }
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private static string Name(string path) => path.Length == 0 ? "(the whole line)" : path;

    private static string Short(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
