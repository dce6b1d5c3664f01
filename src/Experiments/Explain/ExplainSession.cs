using System.Globalization;
using System.Text;
using ActorKernel.Actors.Engine;
using ActorKernel.Actors.Locking;
using ActorKernel.Configuration;
using ActorKernel.Experiments.Journal;
using ActorKernel.Experiments.Planning;
using ActorKernel.Experiments.Running;
using ActorKernel.Experiments.Session;
using ActorKernel.Model;

namespace ActorKernel.Experiments.Explain;

/// <summary>
/// `actorkernel explain`: re-runs one run of an output folder from its journal with provenance
/// recording on (the same seed and configuration give the same run), finds the read asked for, and
/// builds its causal chain newest first — the read, the probe's walk, the lock holder when a policy
/// tried the lock, the PTE's history (faults, fork's copy or skip and why, scan passes, zaps), what
/// the child touched — and what each other policy did with the read at the same place.
/// </summary>
public static class ExplainSession
{
    /// <summary>A recorded re-run: the record (checked against the journal's) and its provenance.</summary>
    public sealed record RecordedRun(RunRecord Record, IReadOnlyList<ProvenanceEvent> Events);

    /// <summary>The folder's experiment, refused in one line (<see cref="UserError"/>) when it is not an output folder of this build.</summary>
    public static (ExperimentSession Session, IReadOnlyList<RunRecord> Journal) Open(string dir)
    {
        var journalPath = Path.Combine(dir, RunJournal.FileName);
        var confPath = Path.Combine(dir, "effective.conf");
        if (!File.Exists(journalPath) || !File.Exists(confPath))
            throw new ConfigError($"{dir} is not an ActorKernel output folder (it needs runs.jsonl and effective.conf)");
        var journal = JournalFile.Read(journalPath);
        if (journal.Header is null) throw new JournalError($"{journalPath} is not an ActorKernel journal (its first line is not a journal header)");
        if (journal.Header.Version != ExperimentIdentity.CurrentVersion)
            throw new JournalError($"{journalPath} was made by ActorKernel {journal.Header.Version}, this is {ExperimentIdentity.CurrentVersion}: explain and trace re-run the model, and another version may not replay the same run; run the experiment again with this version");
        var session = ExperimentSession.PrepareText(ConfigFile.ReadText(confPath, "effective.conf"), confPath, Array.Empty<string>());
        if (session.Identity.Mismatch(journal.Header) is { } why) throw new JournalError($"{journalPath} does not belong to {confPath}: {why}");
        return (session, journal.Decode(session.Plan).Records.Select(r => r.Record).ToArray());
    }

    /// <summary>Runs <paramref name="spec"/> again with recording on, on the calling thread.</summary>
    public static RecordedRun Record(RunSpec spec)
    {
        using var runner = new ExperimentRunner(1);
        return Record(runner.Lanes[0], spec);
    }

    /// <summary>Runs <paramref name="spec"/> again with recording on <paramref name="lane"/>, driven by the calling thread (the log is the thread's).</summary>
    public static RecordedRun Record(SimLane lane, RunSpec spec)
    {
        var log = new ProvenanceLog();
        RunRecord record;
        using (ProvenanceLog.Install(log)) record = ExperimentRunner.Execute(lane, spec);
        return new RecordedRun(record, log.Events);
    }

    /// <summary>Explains the selected read of run <paramref name="run"/> of the output folder <paramref name="dir"/>.</summary>
    public static ReadExplanation Explain(string dir, int run, ReadSelector select)
    {
        var (session, recorded) = Replay(dir, run);
        if (recorded.Record.Failure is not null) throw new ConfigError($"run {run} failed inside the model ({recorded.Record.Failure}); it has no reads to explain");
        return Explain(session, session.Plan.Runs[run], recorded, select, session.Plan.Runs);
    }

    /// <summary>
    /// Re-runs run <paramref name="run"/> of the output folder <paramref name="dir"/> with recording on (explain, trace):
    /// the folder is refused in one line when it is not this build's; a replay unlike its journal line is a model bug.
    /// </summary>
    public static (ExperimentSession Session, RecordedRun Recorded) Replay(string dir, int run)
    {
        var (session, journal) = Open(dir);
        var runs = session.Plan.Runs;
        if (run >= runs.Count) throw new ConfigError($"--run {run}: {dir} has {runs.Count} runs (0 to {runs.Count - 1})");
        var recorded = Record(runs[run]);
        var logged = journal.FirstOrDefault(r => r.Spec.Run == run);
        if (logged is not null && (logged.Events != recorded.Record.Events || logged.VirtualTimeNs != recorded.Record.VirtualTimeNs))
            throw new InvalidOperationException($"run {run} replayed differently from its journal line ({recorded.Record.Events} events, journal {logged.Events}): the model is not deterministic here");
        return (session, recorded);
    }

    /// <summary>Explains a read of a recorded run (tests call this without a folder).</summary>
    public static ReadExplanation Explain(ExperimentSession session, RunSpec spec, RecordedRun recorded, ReadSelector select, IReadOnlyList<RunSpec> plan)
    {
        var events = recorded.Events;
        var reads = events.Where(e => e.Kind == ProvenanceKind.ProbeReadDone).ToArray();
        var k = Select(reads, select, spec.Run);
        var read = reads[k];
        var ok = read.Get("ok") == "yes";
        var chain = Chain(events, read, recorded.Record);
        var others = plan
            .Where(r => r.PointIndex == spec.PointIndex && r.Repetition == spec.Repetition && r.Policy != spec.Policy)
            .Select(r => OtherPolicy(r, reads, k))
            .ToArray();
        return new ReadExplanation(
            session.Experiment.Name, spec.Run, spec.Policy.Name, string.Join(", ", spec.Point.Select(p => $"{p.Key}={p.Value}")), spec.Seed,
            k, reads.Length, read.Get("target")!, read.Get("attach")!, int.Parse(read.Get("task")!, CultureInfo.InvariantCulture),
            ulong.Parse(read.Get("addr")!, NumberStyles.HexNumber, CultureInfo.InvariantCulture), read.AtNs, ok, ok ? null : read.Get("cause"),
            chain, others);
    }

    private static int Select(IReadOnlyList<ProvenanceEvent> reads, ReadSelector select, int run)
    {
        if (select.Read is { } k)
        {
            if (k >= reads.Count) throw new ConfigError($"--read {k}: run {run} made {reads.Count} probe reads (0 to {reads.Count - 1})");
            return k;
        }
        for (var i = 0; i < reads.Count; i++)
            if (reads[i].Get("ok") == "no" && (select.Target is null || reads[i].Get("target") == select.Target)) return i;
        if (select.Target is not null && reads.All(r => r.Get("target") != select.Target))
            throw new ConfigError($"--target {select.Target}: run {run} read no such target; its targets: {string.Join(", ", reads.Select(r => r.Get("target")).Distinct().Order(StringComparer.Ordinal))}");
        throw new ConfigError($"run {run} has no failed read{(select.Target is null ? "" : " of " + select.Target)}; pick one with --read K (0 to {reads.Count - 1})");
    }

    // The same read in another policy's run: the n-th read of the same target (the policies see the
    // same seed, so the same workload; their reads may interleave differently, not their order per target).
    private static OtherPolicyOutcome OtherPolicy(RunSpec other, IReadOnlyList<ProvenanceEvent> reads, int k)
    {
        var target = reads[k].Get("target");
        var nth = reads.Take(k).Count(r => r.Get("target") == target);
        var recorded = Record(other);
        if (recorded.Record.Failure is not null) return new OtherPolicyOutcome(other.Policy.Name, other.Run, "the run failed inside the model");
        var match = recorded.Events.Where(e => e.Kind == ProvenanceKind.ProbeReadDone && e.Get("target") == target).Skip(nth).FirstOrDefault();
        if (match is null) return new OtherPolicyOutcome(other.Policy.Name, other.Run, $"made fewer than {nth + 1} reads of {target}");
        var outcome = match.Get("ok") == "yes"
            ? $"ok at {Time(match.AtNs)} ({OkHow(other.Policy, recorded.Events, match)})"
            : $"failed at {Time(match.AtNs)}: {match.Get("cause")}";
        return new OtherPolicyOutcome(other.Policy.Name, other.Run, outcome);
    }

    // How a read that succeeded got its page: present already, or a fault the policy resolved in place.
    private static string OkHow(ProbePolicy policy, IReadOnlyList<ProvenanceEvent> events, ProvenanceEvent read)
    {
        var walk = events.LastOrDefault(e => e.Seq < read.Seq && e.Kind == ProvenanceKind.ProbeWalk && e.Get("addr") == read.Get("addr"));
        if (walk is null || walk.Get("ok") == "yes") return "the page was present";
        return $"the walk found {walk.Get("cause")}; {policy.Name} resolved the fault in place";
    }

    private static IReadOnlyList<ChainLink> Chain(IReadOnlyList<ProvenanceEvent> events, ProvenanceEvent read, RunRecord record)
    {
        var chain = new List<ChainLink>();
        var cause = read.Get("cause");
        chain.Add(Link(read, "probe-read", read.Get("ok") == "yes"
            ? $"probe read of {read.Get("target")} at 0x{read.Get("addr")} ({read.Get("attach")}, task {read.Get("task")}, policy {read.Get("policy")}) succeeded"
            : $"probe read of {read.Get("target")} at 0x{read.Get("addr")} ({read.Get("attach")}, task {read.Get("task")}, policy {read.Get("policy")}) FAILED: {cause} — {Describe(cause)}"));

        if (cause == FailureCause.MmapLockContended.ToKebab()
            && events.LastOrDefault(e => e.Seq < read.Seq && e.Kind == ProvenanceKind.RwsemTrylockFailed && e.Get("owner") == read.Get("lockOwner")) is { } t)
            chain.Add(Link(t, "mmap-lock", TrylockText(t)));

        var walk = events.LastOrDefault(e => e.Seq < read.Seq && e.Kind == ProvenanceKind.ProbeWalk && e.Get("addr") == read.Get("addr"));
        if (walk is null) return chain;
        chain.Add(Link(walk, "probe-walk", walk.Get("ok") == "yes"
            ? $"bpf_probe_read_user() walked mm {walk.MmId}: {walk.Get("pagesWalked")} page(s), all present"
            : $"bpf_probe_read_user() walked mm {walk.MmId}: page 0x{walk.Get("faultingAddr")} (vpn 0x{walk.Vpn:x}) is {walk.Get("cause")}; copy_from_user_nofault() took the exception fixup (-EFAULT)"));

        var mm = walk.MmId;
        var vpn = walk.Vpn;
        var history = events.Where(e => e.Seq < walk.Seq && e.MmId == mm && e.Vpn == vpn &&
            e.Kind is ProvenanceKind.PteSet or ProvenanceKind.PteCleared or ProvenanceKind.ForkSkippedPte).Reverse().ToArray();
        if (history.Length == 0)
            chain.Add(new ChainLink(walk.AtNs, "-", "-", "pte", $"mm {mm} never had a PTE at vpn 0x{vpn:x} in this run (never touched: the first access would fault)"));
        foreach (var e in history)
        {
            if (e.Kind == ProvenanceKind.ForkSkippedPte)
            {
                ChildTouched(events, e, read, chain);
                chain.Add(Link(e, "fork-skipped-pte", ForkSkipText(e)));
                ParentHistory(events, e, chain);
                continue;
            }
            chain.Add(Link(e, "pte", PteText(e, record)));
        }
        return chain;
    }

    // What the child mapped in the skipped VMA between the fork and the read: the pages it faulted in
    // itself (their fault-around windows), and that this page was not among them.
    private static void ChildTouched(IReadOnlyList<ProvenanceEvent> events, ProvenanceEvent skip, ProvenanceEvent read, List<ChainLink> chain)
    {
        var start = Pages.Vpn(ulong.Parse(skip.Get("vmaStart")!, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        var end = Pages.Vpn(ulong.Parse(skip.Get("vmaEnd")!, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        var touched = events.Where(e => e.Seq > skip.Seq && e.Seq < read.Seq && e.Kind == ProvenanceKind.PteSet && e.MmId == skip.MmId
            && e.Vpn >= start && e.Vpn < end && e.Old.State == PteState.None).Select(e => e.Vpn).Distinct().Order().ToArray();
        var text = touched.Length == 0
            ? $"the child (mm {skip.MmId}) touched no page of {skip.Get("vma")} between the fork and the read"
            : $"the child (mm {skip.MmId}) mapped {touched.Length} page(s) of {skip.Get("vma")} itself (vpn {string.Join(", ", touched.Take(8).Select(v => $"0x{v:x}"))}{(touched.Length > 8 ? ", …" : "")}), not vpn 0x{skip.Vpn:x}";
        chain.Add(new ChainLink(read.AtNs, "-", "-", "child-touched", text));
    }

    // In the parent the page was present: which fault (or copy) made it so.
    private static void ParentHistory(IReadOnlyList<ProvenanceEvent> events, ProvenanceEvent skip, List<ChainLink> chain)
    {
        var parent = int.Parse(skip.Get("parentMm")!, CultureInfo.InvariantCulture);
        var made = events.LastOrDefault(e => e.Seq < skip.Seq && e.Kind == ProvenanceKind.PteSet && e.MmId == parent && e.Vpn == skip.Vpn);
        if (made is not null) chain.Add(Link(made, "pte", "in the parent: " + PteText(made, null)));
    }

    private static string ForkSkipText(ProvenanceEvent e)
    {
        var why = e.Get("anonVma") == "no"
            ? "vma_needs_copy() was false: the VMA has no anon_vma (never written, so never CoW-faulted), and is not VM_PFNMAP/VM_MIXEDMAP, uffd-wp or hugetlb"
            : "vma_needs_copy() was false";
        return $"fork: dup_mmap() of mm {e.Get("parentMm")} into mm {e.MmId} did not copy the parent's {State(e.Old)} PTE at vpn 0x{e.Vpn:x}: " +
               $"copy_page_range() skipped VMA {e.Get("vma")} [0x{e.Get("vmaStart")}-0x{e.Get("vmaEnd")}) ({e.Get("vmaKind")}, flags {e.Get("flags")}) because {why}; the child would have to fault the page in";
    }

    private static string TrylockText(ProvenanceEvent t)
    {
        var sb = new StringBuilder($"mmap_read_trylock() by {LockOwners.Describe(long.Parse(t.Get("owner")!, CultureInfo.InvariantCulture))} failed on {t.Actor}'s mmap_lock: ");
        if (t.Get("writer") is { } w && w != "-")
        {
            var since = long.Parse(t.Get("writerSinceNs")!, CultureInfo.InvariantCulture);
            sb.Append($"held for write by {LockOwners.Describe(long.Parse(w, CultureInfo.InvariantCulture))} since {Time(since)} ({Time(t.AtNs - since)} before)");
        }
        else sb.Append($"no writer, {t.Get("readers")} reader(s)");
        var waiters = t.Get("waiters")!;
        if (waiters.Length > 0)
        {
            var list = waiters.Split(' ').Select(x =>
            {
                var owner = long.Parse(x[2..x.IndexOf('@')], CultureInfo.InvariantCulture);
                var at = long.Parse(x[(x.IndexOf('@') + 1)..], CultureInfo.InvariantCulture);
                return $"{(x[0] == 'w' ? "writer" : "reader")} {LockOwners.Describe(owner)} queued at {Time(at)}";
            });
            sb.Append("; wait list: " + string.Join(", ", list) + " (rwsem_read_trylock() fails while anyone waits)");
        }
        if (t.Get("handoff") == "yes") sb.Append("; RWSEM_FLAG_HANDOFF set");
        return sb.ToString();
    }

    private static string PteText(ProvenanceEvent e, RunRecord? record)
    {
        var by = $"by {e.Actor} handling {e.Message}";
        if (e.Kind == ProvenanceKind.PteCleared)
            return $"PTE at vpn 0x{e.Vpn:x} of mm {e.MmId} zapped ({State(e.Old)} → none: munmap, exit_mmap or reclaim) {by}";
        var (o, n) = (e.Old, e.New);
        if (n.State == PteState.ProtNone && o.State != PteState.ProtNone)
            return $"change_prot_numa() made the PTE PROT_NONE (a NUMA hint){ScanPass(e, record)} {by}";
        if (o.State == PteState.ProtNone && n.State == PteState.Present)
            return $"do_numa_page() (NUMA hint fault) made the PTE present again, page on node {n.HomeNode}, {by}";
        if (o.State == PteState.None && n.State == PteState.Present)
            return $"{Installer(e.Message)} mapped the page present ({Frame(n)}), {by}";
        if (o with { Old = true } == n && !o.Old)
            return $"made old by aging at {Time(e.AtNs)}: folio_referenced() cleared the PTE's young bit (ptep_clear_flush_young()) {by}";
        if (o with { Old = false } == n && o.Old)
            return $"made young again at {Time(e.AtNs)} (the access set the accessed bit: the MMU, or an access-flag fault's pte_mkyoung()) {by}";
        if (o.State == PteState.Present && n.State == PteState.Present && o.Writable && !n.Writable)
            return $"the PTE was write-protected (copy_present_pte(): CoW at fork) {by}";
        if (o.State == PteState.Present && n.State == PteState.Present)
            return $"the PTE changed ({Frame(o)} → {Frame(n)}: a write or CoW fault, or a migration) {by}";
        return $"the PTE went {State(o)} → {State(n)} ({Frame(n)}) {by}";
    }

    // Who installs a PTE, from the message being handled: a user access or copy_from_user faults
    // (handle_mm_fault()), fork copies, and anything else (the machine building a process image).
    private static string Installer(string message) => message switch
    {
        "UserAccess" => "a fault (handle_mm_fault())",
        "ProbeInPlaceRead" or "ProbeVmaRead" => "the probe's in-place fault (the policy resolved it)",
        "MmapWriteApply" => "an mmap-lock writer (mmap/mprotect/brk)",
        "DupMmapNext" => "copy_page_range() at fork",
        _ => "the model (setting up the process image)",
    };

    // The task_numa_work() pass this change belongs to, from the run's listed passes.
    private static string ScanPass(ProvenanceEvent e, RunRecord? record)
    {
        var passes = record?.Metrics?.ScanPasses;
        if (passes is null) return "";
        for (var i = 0; i < passes.Count; i++)
            if (passes[i].MmId == e.MmId && passes[i].StartNs <= e.AtNs && e.AtNs <= passes[i].EndNs)
                return $" in NUMA scan pass {i + 1} of the run (task_numa_work() for task {passes[i].TaskId}, numa_scan_seq {passes[i].ScanSeq}, {Time(passes[i].StartNs)}–{Time(passes[i].EndNs)}, {passes[i].PtesUpdated} PTEs made PROT_NONE)";
        return "";
    }

    private static string Frame(Pte p) =>
        p.IsZeroPage ? "the zero page" : p.IsAnon ? $"anon page{(p.Writable ? ", writable" : ", read-only")}, node {p.HomeNode}"
        : p.FilePage >= 0 ? $"page-cache page {p.FilePage}, node {p.HomeNode}" : $"node {p.HomeNode}";

    private static string State(Pte p) => p.State switch
    {
        PteState.Present => "present",
        PteState.ProtNone => "PROT_NONE",
        PteState.Swapped => "swap entry",
        _ => "none",
    };

    private static string Describe(string? cause) =>
        Enum.GetValues<FailureCause>().FirstOrDefault(c => c.ToKebab() == cause) is var c && c.ToKebab() == cause ? c.Describe() : "";

    private static ChainLink Link(ProvenanceEvent e, string kind, string text) => new(e.AtNs, e.Actor, e.Message, kind, text);

    /// <summary>Virtual time as seconds with nanosecond digits.</summary>
    public static string Time(long ns) => (ns / 1e9).ToString("0.000000000", CultureInfo.InvariantCulture) + " s";
}
