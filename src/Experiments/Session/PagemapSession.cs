using System.Globalization;
using System.Text;
using ActorKernel.Actors.Metrics;
using ActorKernel.Experiments.Running;
using ActorKernel.Model;

namespace ActorKernel.Experiments.Session;

/// <summary>
/// The page-table view of one run of an experiment at a virtual time: each VMA and the state of
/// each of its pages (present, protnone, none, swapped, with home node), beside what
/// /proc/pid/pagemap would report (fs/proc/task_mmu.c: pte_present() is true for a PROT_NONE
/// hint PTE, so pagemap shows it as present).
/// </summary>
public static class PagemapSession
{
    /// <summary>Runs run <paramref name="runIndex"/> of the prepared experiment and renders its page tables at <paramref name="atNs"/>.</summary>
    public static string Render(ExperimentSession session, int runIndex, long atNs, int? pid)
    {
        var runs = session.Plan.Runs;
        if (runIndex >= runs.Count)
            throw new ActorKernel.Configuration.ConfigError($"--run {runIndex}: the experiment has {runs.Count} runs (0 to {runs.Count - 1})");
        var spec = runs[runIndex];
        using var runner = new ExperimentRunner(1);
        var (record, tables) = ExperimentRunner.Execute(runner.Lanes[0], spec, atNs);
        if (record.Failure is not null) throw new InvalidOperationException($"run {runIndex} failed inside the model: {record.Failure}");
        var sb = new StringBuilder();
        var point = string.Join(", ", spec.Point.Select(p => $"{p.Key}={p.Value}"));
        sb.AppendLine($"pagemap of {session.Experiment.Name} run {runIndex} (seed {spec.Seed}{(point.Length > 0 ? ", " + point : "")}) at {Seconds(atNs)} virtual");
        var shown = tables.Where(t => pid is null || t.MmId == pid).ToArray();
        if (pid is not null && shown.Length == 0)
            throw new ActorKernel.Configuration.ConfigError(tables.Count == 0
                ? $"--pid {pid}: no process was alive in run {runIndex} at {Seconds(atNs)} (the run ended at {Seconds(record.VirtualTimeNs)})"
                : $"--pid {pid}: no such process in run {runIndex} at {Seconds(atNs)}; processes then: {string.Join(", ", tables.Select(t => t.MmId))}");
        if (shown.Length == 0)
            sb.AppendLine($"no process was alive at {Seconds(atNs)} (the run ended at {Seconds(record.VirtualTimeNs)})");
        foreach (var t in shown) Append(sb, t);
        sb.AppendLine("state: present = readable PTE; protnone = NUMA hint PTE (PROT_NONE; a probe read fails); none = no PTE; swapped = swap entry.");
        sb.AppendLine("pagemap: what /proc/pid/pagemap reports (bit 63 present, bit 62 swapped); it cannot tell protnone from present.");
        return sb.ToString();
    }

    // One line per VMA, then one line per run of consecutive pages in the same state on the same node.
    private static void Append(StringBuilder sb, PageTableSnapshot t)
    {
        sb.AppendLine($"process {t.MmId} (mm {t.MmId})");
        foreach (var vma in t.Rows.GroupBy(r => (r.VmaStart, r.VmaName, r.VmaProt)))
        {
            var rows = vma.ToArray();
            var end = Pages.AddrOf(rows[^1].Vpn + 1);
            sb.AppendLine($"  {vma.Key.VmaStart:x12}-{end:x12} {Prot(vma.Key.VmaProt)} {vma.Key.VmaName} ({rows.Length} pages)");
            int i = 0;
            while (i < rows.Length)
            {
                int j = i;
                while (j + 1 < rows.Length && rows[j + 1].State == rows[i].State && rows[j + 1].HomeNode == rows[i].HomeNode) j++;
                var r = rows[i];
                var range = i == j ? $"page {i}" : $"pages {i}-{j}";
                var node = r.HomeNode >= 0 ? $"node {r.HomeNode}" : "-";
                var pagemap = r.PagemapPresent ? "present" : r.PagemapSwapped ? "swapped" : "not present";
                sb.AppendLine($"    {range,-16} {State(r.State),-9} {node,-7} pagemap: {pagemap}");
                i = j + 1;
            }
        }
    }

    private static string State(PteState s) => s switch
    {
        PteState.Present => "present",
        PteState.ProtNone => "protnone",
        PteState.Swapped => "swapped",
        _ => "none",
    };

    private static string Prot(VmaProt p) =>
        $"{((p & VmaProt.Read) != 0 ? 'r' : '-')}{((p & VmaProt.Write) != 0 ? 'w' : '-')}{((p & VmaProt.Exec) != 0 ? 'x' : '-')}";

    private static string Seconds(long ns) => (ns / 1e9).ToString("0.000000000", CultureInfo.InvariantCulture) + " s";
}
