using System.Globalization;
using System.Text;
using ActorKernel.Experiments.Running;
using ActorKernel.Model;

namespace ActorKernel.Experiments.Results;

/// <summary>results.csv: one row per run, a column per swept key and per failure cause, for pandas or R.</summary>
public static class ResultsCsvWriter
{
    public static string Write(IReadOnlyList<RunRecord> records)
    {
        var keys = records.SelectMany(r => r.Spec.Point.Select(p => p.Key)).Distinct(StringComparer.Ordinal).ToArray();
        var causes = Enum.GetValues<FailureCause>().Select(c => c.ToKebab()).ToArray();
        var sb = new StringBuilder();
        var header = new[] { "run", "seed", "policy", "repetition" }
            .Concat(keys)
            .Concat(new[] { "reads_total", "reads_ok", "reads_failed", "reads_skipped", "failure_rate" })
            .Concat(causes.Select(c => "cause_" + c))
            .Concat(new[] { "latency_p50_ns", "latency_p99_ns", "latency_max_ns", "minor_faults", "major_faults", "forks", "execs" })
            .Concat(PolicyColumns)
            .Concat(NumaColumns)
            .Concat(new[] { "events", "virtual_time_ns", "failure" });
        sb.AppendLine(string.Join(",", header.Select(Quote)));
        foreach (var r in records)
        {
            var m = r.Metrics;
            var cells = new List<string> { Inv(r.Spec.Run), Inv(r.Spec.Seed), r.Spec.Policy.Name, Inv(r.Spec.Repetition) };
            cells.AddRange(keys.Select(k => r.Spec.Point.FirstOrDefault(p => p.Key == k)?.Value ?? ""));
            if (m is null)
            {
                cells.AddRange(Enumerable.Repeat("", 5 + causes.Length + 7 + PolicyColumns.Length + NumaColumns.Length));
            }
            else
            {
                cells.AddRange(new[] { Inv(m.ReadsTotal), Inv(m.ReadsOk), Inv(m.ReadsFailed), Inv(m.ReadsSkipped),
                    m.ReadsTotal == 0 ? "0" : ((double)m.ReadsFailed / m.ReadsTotal).ToString("0.######", CultureInfo.InvariantCulture) });
                cells.AddRange(causes.Select(c => Inv(m.ByCause.GetValueOrDefault(c))));
                cells.AddRange(new[] { Inv(m.ProbeLatencyNs.P50), Inv(m.ProbeLatencyNs.P99), Inv(m.ProbeLatencyNs.Max),
                    Inv(m.MinorFaults), Inv(m.MajorFaults), Inv(m.Forks), Inv(m.Execs) });
                var p = m.Policy;
                cells.AddRange(new[] { Inv(m.ProbeLatencyNs.P90), Inv(m.ProbeLatencyNs.P999), Inv(p.StaleReads), Inv(p.DeferredReads),
                    Inv(p.Locks.WriteHoldNsTotal), Inv(p.Locks.ReadHoldNsTotal), Inv(p.Locks.WriteWaitNsTotal), Inv(p.Locks.ReadWaitNsTotal),
                    Inv(p.Locks.TrylockAttempts), Inv(p.Locks.TrylockFailures), Inv(p.Locks.Handoffs), Inv(p.Locks.VmaReadAttempts), Inv(p.Locks.VmaReadFailures),
                    Inv(p.Delay.WriterOps), Inv(p.Delay.WriterWaitNsTotal), Inv(p.Delay.WriterWaitByProbeNsTotal), Inv(p.Delay.ProbeFaultAndLockNsTotal) });
                var n = m.Numa;
                cells.AddRange(new[] { Inv(n.HintFaults), Inv(n.HintFaultsLocal), Inv(n.HintFaultsRemote), Inv(n.Migrations),
                    Inv(n.ScanPasses), Inv(n.ScanPassesSkipped), Inv(n.PtesUpdated) });
            }
            cells.AddRange(new[] { Inv(r.Events), Inv(r.VirtualTimeNs), r.Failure ?? "" });
            sb.AppendLine(string.Join(",", cells.Select(Quote)));
        }
        return sb.ToString();
    }

    // NUMA-balancing totals (results.json's "numa"; all 0 when balancing is off).
    private static readonly string[] NumaColumns =
    {
        "numa_hint_faults", "numa_hint_faults_local", "numa_hint_faults_remote", "numa_migrations",
        "numa_scan_passes", "numa_scan_passes_skipped", "numa_ptes_updated",
    };

    // Appended after the original columns, so scripts that index the old ones keep working.
    private static readonly string[] PolicyColumns =
    {
        "latency_p90_ns", "latency_p999_ns", "stale_reads", "deferred_reads",
        "mmap_write_hold_ns", "mmap_read_hold_ns", "mmap_write_wait_ns", "mmap_read_wait_ns",
        "trylock_attempts", "trylock_failures", "handoffs", "vma_read_attempts", "vma_read_failures",
        "writer_ops", "writer_wait_ns", "writer_wait_by_probe_ns", "probe_fault_and_lock_ns",
    };

    private static string Inv(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Inv(ulong v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Quote(string s) =>
        s.IndexOfAny(new[] { ',', '"', '\n' }) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
