using System.Globalization;
using System.Text.Json;
using ActorKernel.Actors.Metrics;

namespace ActorKernel.Experiments.Results;

/// <summary>
/// The NUMA-balancing fields of a run in results.json (docs/results.md): <c>numa</c> totals, every
/// <c>scanPasses</c> entry and the <c>timeline</c>. Added fields of schema v1; maps sorted by key.
/// </summary>
internal static class NumaJson
{
    public static void Write(Utf8JsonWriter w, RunMetrics m)
    {
        var n = m.Numa;
        w.WriteStartObject("numa");
        w.WriteNumber("hintFaults", n.HintFaults);
        w.WriteNumber("hintFaultsLocal", n.HintFaultsLocal);
        w.WriteNumber("hintFaultsRemote", n.HintFaultsRemote);
        w.WriteNumber("migrations", n.Migrations);
        w.WriteNumber("scanPasses", n.ScanPasses);
        w.WriteNumber("scanPassesSkipped", n.ScanPassesSkipped);
        w.WriteNumber("ptesUpdated", n.PtesUpdated);
        w.WriteEndObject();

        w.WriteStartArray("scanPasses");
        foreach (var p in m.ScanPasses)
        {
            w.WriteStartObject();
            w.WriteNumber("startNs", p.StartNs);
            w.WriteNumber("endNs", p.EndNs);
            w.WriteNumber("mm", p.MmId);
            w.WriteNumber("task", p.TaskId);
            w.WriteNumber("scanSeq", p.ScanSeq);
            w.WriteNumber("ptesUpdated", p.PtesUpdated);
            w.WriteBoolean("skippedLockBusy", p.SkippedLockBusy);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("timeline");
        foreach (var b in m.Timeline)
        {
            w.WriteStartObject();
            w.WriteNumber("startNs", b.StartNs);
            w.WriteStartObject("reads");
            foreach (var (target, t) in b.ByTarget)
            {
                w.WriteStartObject(target);
                w.WriteNumber("total", t.Reads);
                w.WriteNumber("failed", t.Failed);
                w.WriteStartObject("byCause");
                foreach (var (cause, c) in t.ByCause) w.WriteNumber(cause, c);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteNumber("hintFaults", b.HintFaults);
            w.WriteNumber("hintFaultsLocal", b.HintFaultsLocal);
            w.WriteNumber("migrations", b.Migrations);
            w.WriteStartObject("migrationsToNode");
            foreach (var (node, c) in b.MigrationsToNode) w.WriteNumber(node.ToString(CultureInfo.InvariantCulture), c);
            w.WriteEndObject();
            w.WriteStartArray("scanPassStartsNs");
            foreach (var t in b.ScanPassStartsNs) w.WriteNumberValue(t);
            w.WriteEndArray();
            w.WriteStartArray("scanPassEndsNs");
            foreach (var t in b.ScanPassEndsNs) w.WriteNumberValue(t);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
