using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorKernel.Bench.Infra;

/// <summary>How a figure compares with its target.</summary>
public enum TargetKind
{
    None,
    AtLeast,
    AtMost,
}

/// <summary>One measured figure: the median of its samples, with the spread and the target.</summary>
public sealed class ResultRow
{
    public required string Section { get; init; }
    public required string Metric { get; init; }
    public required string Unit { get; init; }
    public required double Median { get; init; }
    public double Min { get; init; }
    public double Max { get; init; }
    public double[] Samples { get; init; } = [];

    [JsonConverter(typeof(JsonStringEnumConverter))]
    public TargetKind TargetKind { get; init; }

    public double? Target { get; init; }
    public string? Note { get; init; }

    /// <summary>null when the row has no target.</summary>
    public bool? Met => TargetKind switch
    {
        TargetKind.AtLeast => Median >= Target,
        TargetKind.AtMost => Median <= Target,
        _ => null,
    };

    public static ResultRow FromSamples(string section, string metric, string unit, IReadOnlyList<double> samples,
        TargetKind kind = TargetKind.None, double? target = null, string? note = null) => new()
    {
        Section = section,
        Metric = metric,
        Unit = unit,
        Median = Stats.Median(samples),
        Min = samples.Min(),
        Max = samples.Max(),
        Samples = samples.ToArray(),
        TargetKind = kind,
        Target = target,
        Note = note,
    };

    public static ResultRow Ratio(string section, string metric, double value, TargetKind kind = TargetKind.None,
        double? target = null, string? note = null) => new()
    {
        Section = section,
        Metric = metric,
        Unit = "x",
        Median = value,
        Min = value,
        Max = value,
        Samples = [value],
        TargetKind = kind,
        Target = target,
        Note = note,
    };
}

public static class Stats
{
    public static double Median(IReadOnlyList<double> xs)
    {
        if (xs.Count == 0) throw new ArgumentException("no samples", nameof(xs));
        var s = xs.OrderBy(x => x).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }
}

/// <summary>Everything one invocation measured, printed as a table and written as JSON.</summary>
public sealed class BenchReport
{
    public required MachineInfo Machine { get; init; }
    public required string Command { get; init; }
    public required int Reps { get; init; }
    public required double Scale { get; init; }
    public DateTimeOffset StartedUtc { get; init; } = DateTimeOffset.UtcNow;
    public List<ResultRow> Rows { get; } = new();

    /// <summary>Facts that are not figures: checksums, event counts.</summary>
    public SortedDictionary<string, string> Facts { get; } = new(StringComparer.Ordinal);

    public void Add(ResultRow row)
    {
        Rows.Add(row);
        Console.WriteLine($"  {row.Section,-9} {row.Metric,-52} {Fmt(row.Median),12} {row.Unit}");
    }

    public void Fact(string key, string value)
    {
        Facts[key] = value;
        Console.WriteLine($"  {key}: {value}");
    }

    public void WriteJson(string path)
    {
        var options = new JsonSerializerOptions { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
        File.WriteAllText(path, JsonSerializer.Serialize(this, options) + "\n");
    }

    public string Table()
    {
        var lines = new List<string>
        {
            "| section | metric | median | unit | min – max | target | met |",
            "|---|---|---:|---|---|---|---|",
        };
        foreach (var r in Rows)
        {
            var target = r.TargetKind switch
            {
                TargetKind.AtLeast => "≥ " + Fmt(r.Target!.Value),
                TargetKind.AtMost => "≤ " + Fmt(r.Target!.Value),
                _ => "",
            };
            var met = r.Met switch { true => "yes", false => "**no**", null => "" };
            var spread = r.Samples.Length > 1 ? $"{Fmt(r.Min)} – {Fmt(r.Max)}" : "";
            lines.Add($"| {r.Section} | {r.Metric} | {Fmt(r.Median)} | {r.Unit} | {spread} | {target} | {met} |");
        }
        return string.Join("\n", lines);
    }

    public static string Fmt(double v)
    {
        var a = Math.Abs(v);
        if (a == 0) return "0";
        if (a >= 1e6) return v.ToString("#,0", CultureInfo.InvariantCulture);
        if (a >= 100) return v.ToString("#,0.0", CultureInfo.InvariantCulture);
        if (a >= 1) return v.ToString("0.00", CultureInfo.InvariantCulture);
        return v.ToString("0.000", CultureInfo.InvariantCulture);
    }
}

public sealed class MachineInfo
{
    public required int ProcessorCount { get; init; }
    public required string CpuModel { get; init; }
    public required string Runtime { get; init; }
    public required string Os { get; init; }
    public required bool ServerGc { get; init; }
    public required string TieredPgo { get; init; }

    public static MachineInfo Detect()
    {
        var cpu = "unknown";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
                ?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return new MachineInfo
        {
            ProcessorCount = Environment.ProcessorCount,
            CpuModel = cpu,
            Runtime = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            Os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            ServerGc = System.Runtime.GCSettings.IsServerGC,
            TieredPgo = AppContext.TryGetSwitch("System.Runtime.TieredPGO", out var pgo) ? pgo.ToString() : "default (on)",
        };
    }
}
