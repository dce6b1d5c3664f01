using System.Text;
using System.Text.Json;

namespace ActorKernel.Calibration;

/// <summary>
/// One variant, both sides: filename and argv[0] reads on the real kernel, filename reads in the
/// model; RealCacheSet, for a cold or readahead-marker variant, in how many cycles the reproducer
/// really established that state (information: the agreement is on the filename reads).
/// </summary>
public sealed record CalibrationRow(
    string Case, CalibrationVariant Variant, FailureCount RealFilename, FailureCount RealArgv0, FailureCount ModelFilename, int TrialsAsked,
    CacheStateCount? RealCacheSet = null)
{
    public bool Agrees => CalibrationComparison.Agrees(RealFilename, ModelFilename);
}

/// <summary>calibration.json: what was measured where, and whether each variant agrees.</summary>
public static class CalibrationJson
{
    public const string Schema = "actorkernel/calibration/v1";

    public static string Write(string kernelRelease, string bpftraceVersion, int trials, IReadOnlyList<CalibrationRow> rows, IReadOnlyList<NumaIdleRow>? numaIdle = null, IReadOnlyList<MemoryPressureRow>? memoryPressure = null)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteString("kernel", kernelRelease);
            w.WriteString("bpftrace", bpftraceVersion);
            w.WriteNumber("trials", trials);
            w.WriteString("rule", $"agree when both filename failure fractions are >= 0.9, both <= 0.1, or within {CalibrationComparison.Tolerance}");
            w.WriteBoolean("allAgree", rows.All(r => r.Agrees) && (numaIdle ?? []).All(r => r.Agrees) && (memoryPressure ?? []).All(r => r.Agrees));
            w.WriteStartArray("variants");
            foreach (var r in rows)
            {
                w.WriteStartObject();
                w.WriteString("case", r.Case);
                w.WriteString("variant", r.Variant.Name);
                w.WriteString("spawn", r.Variant.Spawn);
                w.WriteString("strings", r.Variant.Strings);
                w.WriteString("childTouches", r.Variant.ChildTouches);
                w.WriteBoolean("parentTouchesStrings", r.Variant.ParentTouches);
                w.WriteString("argvArray", r.Variant.ArgvArray);
                w.WriteString("stringsPageCache", r.Variant.StringsPageCache);
                w.WriteString("stringsPlacement", r.Variant.StringsPlacement);
                Count(w, "realFilename", r.RealFilename);
                Count(w, "realArgv0", r.RealArgv0);
                Count(w, "modelFilename", r.ModelFilename);
                if (r.RealCacheSet is { } set)
                {
                    w.WriteStartObject("realStringsPageCacheSet");
                    w.WriteNumber("set", set.Set);
                    w.WriteNumber("cycles", set.Cycles);
                    w.WriteEndObject();
                }
                w.WriteBoolean("agree", r.Agrees);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (numaIdle is { Count: > 0 })
            {
                w.WriteStartObject("numaIdle");
                w.WriteString("rule",
                    $"per read target: idle-buffer and arg-start reads from {NumaIdleComparison.SettleMs} ms agree when both failure fractions are >= {NumaIdleComparison.Mostly} (mostly failing) or both <= {NumaIdleComparison.None} (none); "
                    + $"kernel-touched-buffer reads over the whole run agree when both are none, both {NumaIdleComparison.Repaired} (no page fails on two reads in a row) or both {NumaIdleComparison.NotRepaired}; "
                    + $"a variant agrees when all three do. First failures are reported, not compared (expected within {NumaIdleComparison.ScanPeriodMs} ms, one scan period)");
                w.WriteNumber("probeIntervalMs", NumaIdleVariant.IntervalMs);
                w.WriteNumber("settleMs", NumaIdleComparison.SettleMs);
                w.WriteNumber("scanPeriodMs", NumaIdleComparison.ScanPeriodMs);
                w.WriteNumber("kernelTouchedPages", NumaIdleVariant.KernelTouchedPages);
                w.WriteStartArray("variants");
                foreach (var r in numaIdle)
                {
                    w.WriteStartObject();
                    w.WriteString("variant", r.Variant.Name);
                    w.WriteNumber("threads", r.Variant.Threads);
                    w.WriteNumber("busyThreads", r.Variant.Busy);
                    w.WriteNumber("seconds", r.Seconds);
                    // The idle-buffer's figures at the variant level, as before the other reads were compared.
                    var idle = r.IdleBuffer;
                    Count(w, "realIdleBuffer", idle.RealCount);
                    w.WriteString("real", idle.RealOutcome);
                    Count(w, "modelIdleBuffer", idle.ModelCount);
                    w.WriteString("model", idle.ModelOutcome);
                    w.WriteStartArray("reads");
                    foreach (var t in r.Targets)
                    {
                        w.WriteStartObject();
                        w.WriteString("target", t.Target);
                        w.WriteString("counted", NumaIdleComparison.Window(t.Target));
                        Outcomes(w, t.RealCount, t.RealOutcome, t.ModelCount, t.ModelOutcome);
                        FirstFailures(w, t.RealFirstFailureMs, t.ModelFirstFailureMs);
                        if (t.FirstFailuresWithinScanPeriod is { } within) w.WriteBoolean("firstFailuresWithinScanPeriod", within);
                        else w.WriteNull("firstFailuresWithinScanPeriod");
                        w.WriteBoolean("agree", t.Agrees);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteBoolean("agree", r.Agrees);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            if (memoryPressure is { Count: > 0 }) MemoryPressure(w, memoryPressure);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void MemoryPressure(Utf8JsonWriter w, IReadOnlyList<MemoryPressureRow> rows)
    {
        w.WriteStartObject("memoryPressure");
        w.WriteString("rule",
            $"per read target (idle-file, idle-anon, hot), on the reads from {MemoryPressureComparison.SettleMs} ms: agree when both failure fractions are >= {NumaIdleComparison.Mostly} (mostly failing) or both <= {NumaIdleComparison.None} (none); "
            + "a variant agrees when all three do. The model's causes and the first failures are reported, not compared (the real probe sees only that a read failed)");
        w.WriteNumber("probeIntervalMs", MemoryPressureVariant.IntervalMs);
        w.WriteNumber("settleMs", MemoryPressureComparison.SettleMs);
        w.WriteNumber("hotPages", MemoryPressureVariant.HotPages);
        w.WriteNumber("idleFilePages", MemoryPressureVariant.IdleFilePages);
        w.WriteNumber("idleAnonPages", MemoryPressureVariant.IdleAnonPages);
        w.WriteStartArray("variants");
        foreach (var r in rows)
        {
            w.WriteStartObject();
            w.WriteString("variant", r.Variant.Name);
            w.WriteNumber("limitMb", r.Variant.LimitMb);
            w.WriteBoolean("swap", r.Variant.Swap);
            w.WriteString("cgroup", r.CgroupVersion);
            w.WriteNumber("seconds", r.Seconds);
            w.WriteStartArray("reads");
            foreach (var t in r.Targets)
            {
                w.WriteStartObject();
                w.WriteString("target", t.Target);
                Outcomes(w, t.RealCount, t.RealOutcome, t.ModelCount, t.ModelOutcome);
                w.WriteString("modelCauses", t.ModelCauses);
                FirstFailures(w, t.RealFirstFailureMs, t.ModelFirstFailureMs);
                w.WriteBoolean("agree", t.Agrees);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteBoolean("agree", r.Agrees);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    // A read target's counts and outcomes on both sides, as the numa-idle and memory-pressure cases write them.
    private static void Outcomes(Utf8JsonWriter w, FailureCount real, string realOutcome, FailureCount model, string modelOutcome)
    {
        Count(w, "realCount", real);
        w.WriteString("realOutcome", realOutcome);
        Count(w, "modelCount", model);
        w.WriteString("modelOutcome", modelOutcome);
    }

    private static void FirstFailures(Utf8JsonWriter w, long? realMs, long? modelMs)
    {
        NumberOrNull(w, "realFirstFailureMs", realMs);
        NumberOrNull(w, "modelFirstFailureMs", modelMs);
    }

    private static void NumberOrNull(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    private static void Count(Utf8JsonWriter w, string name, FailureCount c)
    {
        w.WriteStartObject(name);
        w.WriteNumber("failed", c.Failed);
        w.WriteNumber("trials", c.Trials);
        w.WriteEndObject();
    }
}
