using System.Diagnostics.Tracing;
using ActorKernel.Experiments.Running;

namespace ActorKernel.Bench.Sections;

/// <summary>
/// Section "allocs": what the real sweeps allocate, by type. One sweep of each on one lane with the
/// runtime's allocation sampling on (GCAllocationTick: one event per ≈100 KB allocated, naming the type
/// of the object that crossed the mark), so the top types are estimates with ±100 KB per sample of noise.
/// </summary>
public static class AllocsSection
{
    public const string Name = "allocs";

    private const int Top = 30;

    public static void Run(Harness h)
    {
        foreach (var (label, session) in ScaleSection.RealSweeps())
        {
            ScaleSection.SweepOnce(session, label, 1);
            using var listener = new AllocationTickListener();
            var allocated0 = GC.GetTotalAllocatedBytes(precise: true);
            ScaleSection.SweepOnce(session, label, 1);
            var allocatedMb = (GC.GetTotalAllocatedBytes(precise: true) - allocated0) / 1e6;
            var byType = listener.Snapshot();
            var sampledMb = byType.Values.Sum() / 1e6;
            h.Report.Add(Infra.ResultRow.FromSamples(Name, $"{label}: allocated per sweep, 1 lane", "MB", [allocatedMb]));
            Console.WriteLine($"  {label}: {allocatedMb:F0} MB allocated in one sweep ({session.Plan.Runs.Count} runs); sampled {sampledMb:F0} MB, top types:");
            foreach (var (type, bytes) in byType.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(Top))
            {
                Console.WriteLine($"    {bytes / 1e6,8:F1} MB  {type}");
                h.Report.Fact($"{Name}.{label}.{type}", $"{bytes / 1e6:F1} MB");
            }
        }
    }

    // Microsoft-Windows-DotNETRuntime, GC keyword (0x1), verbose: GCAllocationTick_V4 carries the type
    // name and the bytes allocated since the previous tick on that heap.
    private sealed class AllocationTickListener : EventListener
    {
        private readonly Dictionary<string, long> _bytes = new(StringComparer.Ordinal);
        private readonly object _gate = new();

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.PayloadNames is null) return;
            var type = e.Payload?[e.PayloadNames.IndexOf("TypeName")] as string ?? "?";
            var amountIndex = e.PayloadNames.IndexOf("AllocationAmount64");
            var amount = amountIndex >= 0 ? Convert.ToInt64(e.Payload![amountIndex]) : Convert.ToInt64(e.Payload![e.PayloadNames.IndexOf("AllocationAmount")]);
            lock (_gate) _bytes[type] = _bytes.GetValueOrDefault(type) + amount;
        }

        public Dictionary<string, long> Snapshot()
        {
            lock (_gate) return new Dictionary<string, long>(_bytes, StringComparer.Ordinal);
        }
    }
}
