using System.Text;
using System.Text.Json;

namespace ActorKernel.Experiments.Explain;

/// <summary>An explanation as text for a kernel engineer (newest first) or as JSON for tools (schema actorkernel/explain/v1).</summary>
public static class ExplainWriter
{
    public static string Text(ReadExplanation e)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"{e.Experiment} run {e.Run} ({e.Policy}{(e.Point.Length > 0 ? ", " + e.Point : "")}, seed {e.Seed}): read {e.Read} of {e.Reads}, " +
                      $"{e.Target} at 0x{e.Addr:x}, {(e.Ok ? "ok" : "FAILED: " + e.Cause)} at {ExplainSession.Time(e.AtNs)} virtual");
        sb.AppendLine("Why, newest first:");
        foreach (var l in e.Chain)
            sb.AppendLine($"  {ExplainSession.Time(l.AtNs),-16} {(l.Actor == "-" ? "" : $"[{l.Actor} / {l.Message}] ")}{l.Text}");
        if (e.OtherPolicies.Count > 0)
        {
            sb.AppendLine("The same read (same seed, point and repetition; the same-numbered read of this target) under the other policies:");
            foreach (var o in e.OtherPolicies) sb.AppendLine($"  {o.Policy,-14} run {o.Run}: {o.Outcome}");
        }
        return sb.ToString();
    }

    public static string Json(ReadExplanation e)
    {
        var doc = new
        {
            schema = "actorkernel/explain/v1",
            experiment = e.Experiment, run = e.Run, policy = e.Policy, point = e.Point, seed = e.Seed,
            read = e.Read, reads = e.Reads, target = e.Target, attach = e.Attach, task = e.TaskId, addr = $"0x{e.Addr:x}",
            atNs = e.AtNs, ok = e.Ok, cause = e.Cause,
            chain = e.Chain.Select(l => new { atNs = l.AtNs, actor = l.Actor, message = l.Message, kind = l.Kind, text = l.Text }),
            otherPolicies = e.OtherPolicies.Select(o => new { policy = o.Policy, run = o.Run, outcome = o.Outcome }),
        };
        return JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }
}
