using System.Globalization;
using System.Text.Json;
using ActorKernel.Actors.Metrics;

namespace ActorKernel.Experiments.Results;

/// <summary>
/// The fields of <see cref="RunMetrics"/>, as a run in results.json (docs/results.md) and as a
/// run-record line (<see cref="RunRecordJson"/>): one writer for both, so the two cannot drift.
/// Writer and reader sit side by side so each field is visibly read as it is written.
/// </summary>
internal static class RunMetricsJson
{
    /// <summary>Which document a run's metrics are written for.</summary>
    public enum Form
    {
        /// <summary>results.json: with derived figures (e.g. writerWaitByProbeNsPerOp), without the histogram.</summary>
        Results,

        /// <summary>A run-record line: every field needed to rebuild the metrics (the histogram too), nothing derived.</summary>
        Journal,
    }

    public static void Write(Utf8JsonWriter w, RunMetrics m, Form form)
    {
        w.WriteStartObject("reads");
        w.WriteNumber("total", m.ReadsTotal);
        w.WriteNumber("ok", m.ReadsOk);
        w.WriteNumber("failed", m.ReadsFailed);
        w.WriteNumber("skipped", m.ReadsSkipped);
        // Only runs with fixed-size reads that failed past a string's end carry it (probe.read-size = fixed).
        if (m.ReadsPastString > 0) w.WriteNumber("pastString", m.ReadsPastString);
        WriteLongsByName(w, "byCause", m.ByCause);
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

        WriteNuma(w, m);
        WriteMemory(w, m);
        WritePolicy(w, m.Policy, form);
    }

    /// <summary>Probe-read latency percentiles (a run's, or a point's pooled ones in the summary).</summary>
    public static void WriteLatency(Utf8JsonWriter w, LatencySummary l)
    {
        w.WriteStartObject("probeLatencyNs");
        w.WriteNumber("p50", l.P50);
        w.WriteNumber("p90", l.P90);
        w.WriteNumber("p99", l.P99);
        w.WriteNumber("p999", l.P999);
        w.WriteNumber("max", l.Max);
        w.WriteEndObject();
    }

    /// <summary>The metrics in <paramref name="f"/>; the latency histogram is decoded only when <paramref name="withHistogram"/> (else left null).</summary>
    public static RunMetrics Read(JsonFields f, bool withHistogram = true)
    {
        var reads = f.Object("reads");
        var latency = f.Object("probeLatencyNs");
        var faults = f.Object("faults");
        var fork = f.Object("fork");
        return new RunMetrics(
            reads.Long("total"), reads.Long("ok"), reads.Long("failed"), reads.Long("skipped"),
            reads.LongsByName("byCause"),
            reads.ObjectsByName("byTarget", t => new TargetCounts(t.Long("total"), t.Long("failed"), t.Long("skipped"))),
            new LatencySummary(latency.Long("p50"), latency.Long("p90"), latency.Long("p99"), latency.Long("p999"), latency.Long("max")),
            faults.Long("minor"), faults.Long("major"),
            fork.Long("count"), f.Long("execs"), fork.Long("writeLockHoldNsTotal"), fork.Long("writeLockHoldNsMax"))
        {
            ReadsPastString = reads.Has("pastString") ? reads.Long("pastString") : 0,
            Numa = ReadNumaTotals(f.Object("numa")),
            ScanPasses = f.Objects("scanPasses", ReadScanPass),
            ScanPassesOmitted = f.Has("scanPassesOmitted") ? f.Long("scanPassesOmitted") : 0,
            Timeline = WithMemory(f.Objects("timeline", ReadBucket), f),
            TimelineWidenedBucketNs = f.Has("timelineBucketNs") ? f.Long("timelineBucketNs") : null,
            Memory = f.Has("memory") ? ReadMemoryTotals(f.Object("memory")) : null,
            Policy = ReadPolicy(f, withHistogram),
        };
    }

    // Memory pressure (docs/memory-pressure.md): written only for runs with the memory model, so other runs are written as before.
    private static void WriteMemory(Utf8JsonWriter w, RunMetrics m)
    {
        if (m.Memory is not { } t) return;
        w.WriteStartObject("memory");
        WriteLongs(w, "freePagesByNode", t.FreePagesByNode);
        w.WriteNumber("scanned", t.Scanned);
        w.WriteNumber("evicted", t.EvictedFile);
        w.WriteNumber("swappedOut", t.SwappedOut);
        w.WriteNumber("refaulted", t.Refaulted);
        w.WriteNumber("directReclaims", t.DirectReclaims);
        w.WriteEndObject();
        w.WriteStartArray("memoryTimeline");
        foreach (var b in m.Timeline)
        {
            if (b.Memory is not { } mem) continue;
            w.WriteStartObject();
            w.WriteNumber("startNs", b.StartNs);
            WriteLongs(w, "freePagesByNode", mem.FreePagesByNode);
            WriteLongs(w, "minFreePagesByNode", mem.MinFreePagesByNode);
            w.WriteNumber("scanned", mem.Scanned);
            w.WriteNumber("evicted", mem.EvictedFile);
            w.WriteNumber("swappedOut", mem.SwappedOut);
            w.WriteNumber("refaulted", mem.Refaulted);
            w.WriteNumber("directReclaims", mem.DirectReclaims);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static MemoryTotals ReadMemoryTotals(JsonFields t) => new(
        t.Longs("freePagesByNode"), t.Long("scanned"), t.Long("evicted"), t.Long("swappedOut"), t.Long("refaulted"), t.Long("directReclaims"));

    private static TimelineMemory ReadTimelineMemory(JsonFields b) => new(
        b.Longs("freePagesByNode"), b.Longs("minFreePagesByNode"), b.Long("scanned"), b.Long("evicted"), b.Long("swappedOut"), b.Long("refaulted"), b.Long("directReclaims"));

    // The memory timeline is a separate array (so the NUMA timeline is written as before); its buckets rejoin theirs by start.
    private static IReadOnlyList<TimelineBucket> WithMemory(IReadOnlyList<TimelineBucket> buckets, JsonFields f)
    {
        if (!f.Has("memoryTimeline")) return buckets;
        var byStart = new SortedDictionary<long, TimelineMemory>();
        foreach (var (start, mem) in f.Objects("memoryTimeline", b => (b.Long("startNs"), ReadTimelineMemory(b)))) byStart[start] = mem;
        return buckets.Select(b => byStart.TryGetValue(b.StartNs, out var mem) ? b with { Memory = mem } : b).ToArray();
    }

    // NUMA balancing: numa totals, every scanPasses entry and the timeline (fields added to schema v1; maps sorted by key).
    private static void WriteNuma(Utf8JsonWriter w, RunMetrics m)
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
        // Only past the caps (docs/results.md, "timeline"), so runs within them are written as before.
        if (m.ScanPassesOmitted > 0) w.WriteNumber("scanPassesOmitted", m.ScanPassesOmitted);
        if (m.TimelineWidenedBucketNs is { } widthNs) w.WriteNumber("timelineBucketNs", widthNs);

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
                WriteLongsByName(w, "byCause", t.ByCause);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteNumber("hintFaults", b.HintFaults);
            w.WriteNumber("hintFaultsLocal", b.HintFaultsLocal);
            w.WriteNumber("migrations", b.Migrations);
            w.WriteStartObject("migrationsToNode");
            foreach (var (node, count) in b.MigrationsToNode) w.WriteNumber(node.ToString(CultureInfo.InvariantCulture), count);
            w.WriteEndObject();
            WriteLongs(w, "scanPassStartsNs", b.ScanPassStartsNs);
            WriteLongs(w, "scanPassEndsNs", b.ScanPassEndsNs);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static NumaTotals ReadNumaTotals(JsonFields n) => new(
        n.Long("hintFaults"), n.Long("hintFaultsLocal"), n.Long("hintFaultsRemote"), n.Long("migrations"),
        n.Long("scanPasses"), n.Long("scanPassesSkipped"), n.Long("ptesUpdated"));

    private static ScanPass ReadScanPass(JsonFields p) => new(
        p.Long("startNs"), p.Long("endNs"), p.Int("mm"), p.Int("task"), p.Int("ptesUpdated"), p.Int("scanSeq"), p.Bool("skippedLockBusy"));

    private static TimelineBucket ReadBucket(JsonFields b) => new(
        b.Long("startNs"),
        b.ObjectsByName("reads", t => new TimelineTarget(t.Long("total"), t.Long("failed"), t.LongsByName("byCause"))),
        b.Long("hintFaults"), b.Long("hintFaultsLocal"), b.Long("migrations"),
        b.LongsByNode("migrationsToNode"),
        b.Longs("scanPassStartsNs"), b.Longs("scanPassEndsNs"));

    // What the probe policies add: staleness, lock statistics, the delay imposed on the workload, the latency histogram.
    // What the policies add to a run: staleness, lock statistics, the delay imposed on the workload.
    private static void WritePolicy(Utf8JsonWriter w, PolicyMetrics p, Form form)
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
        if (form == Form.Results) w.WriteNumber("writerWaitByProbeNsPerOp", Math.Round(d.WriterWaitByProbeNsPerOp, 3));
        w.WriteNumber("writersDelayedByProbe", d.WritersDelayedByProbe);
        w.WriteNumber("probeProgramNsTotal", d.ProbeProgramNsTotal);
        w.WriteNumber("probeFaultAndLockNsTotal", d.ProbeFaultAndLockNsTotal);
        w.WriteNumber("churnOps", d.ChurnOps);
        w.WriteEndObject();
        if (form == Form.Journal) LatencyHistogramJson.Write(w, "latencyHistogram", p.LatencyHistogram);
    }

    private static PolicyMetrics ReadPolicy(JsonFields f, bool withHistogram)
    {
        var locks = f.Object("locks");
        var mmap = locks.Object("mmap");
        var vma = locks.Object("vma");
        var d = f.Object("workloadDelay");
        return new PolicyMetrics(
            f.Long("staleReads"), f.Long("deferredReads"),
            new LockStats(
                mmap.Long("writeHoldNsTotal"), mmap.Long("readHoldNsTotal"), mmap.Long("writeWaitNsTotal"), mmap.Long("readWaitNsTotal"),
                mmap.Long("writeAcquisitions"), mmap.Long("trylockAttempts"), mmap.Long("trylockFailures"), mmap.Long("handoffs"),
                vma.Long("readAttempts"), vma.Long("readFailures")),
            new WorkloadDelay(
                d.Long("writerOps"), d.Long("writerWaitNsTotal"), d.Long("writerWaitByProbeNsTotal"), d.Long("writersDelayedByProbe"),
                d.Long("probeProgramNsTotal"), d.Long("probeFaultAndLockNsTotal"), d.Long("churnOps")),
            withHistogram ? LatencyHistogramJson.Read(f, "latencyHistogram") : null);
    }

    private static void WriteLongsByName(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, long> map)
    {
        w.WriteStartObject(name);
        foreach (var (key, n) in map) w.WriteNumber(key, n);
        w.WriteEndObject();
    }

    private static void WriteLongs(Utf8JsonWriter w, string name, IReadOnlyList<long> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }
}
