using System.Globalization;
using System.Text;
using System.Text.Json;
using ActorKernel.Actors.Locking;
using ActorKernel.Experiments.Explain;
using ActorKernel.Experiments.Planning;
using ActorKernel.Experiments.Running;
using ActorKernel.Model;

namespace ActorKernel.Experiments.Trace;

/// <summary>
/// A recorded run as a Chrome Trace Event file (the JSON object form, "traceEvents"), which
/// ui.perfetto.dev and chrome://tracing open: a track per task (its operations as slices, its page
/// faults as instants), per CPU (the task its run queue runs, the BPF programs it runs, nr_running as a
/// counter), per probe CPU (each probe read an instant, failed ones in category "probe-read-failed:CAUSE"), per
/// mm's page table (present and PROT_NONE PTE counters, the changes that made reads fail), per
/// mm's NUMA scanner (task_numa_work() passes) and per mmap_lock (a thread per holder, holds as
/// slices, waits as async slices), and a flow arrow from each failed read's cause to the read.
/// Virtual ns are written as µs with three decimals by integer arithmetic: the same run gives the same bytes.
/// </summary>
public static class ChromeTrace
{
    private const int TasksPid = 1;
    private const int ProbesPid = 2;
    private const int PageTablesPid = 3;
    private const int NumaPid = 4;
    private const int CpusPid = 5;
    private const int FirstLockPid = 100;

    /// <summary>The trace of <paramref name="recorded"/>, run <paramref name="spec"/> of <paramref name="experiment"/>.</summary>
    public static string Write(string experiment, RunSpec spec, ExplainSession.RecordedRun recorded)
    {
        var b = new Builder();
        var events = recorded.Events;
        var endNs = Math.Max(recorded.Record.VirtualTimeNs, events.Count == 0 ? 0 : events[^1].AtNs);
        b.Process(TasksPid, "tasks");
        b.Process(ProbesPid, "probe reads (bpf_probe_read_user)");
        b.Process(PageTablesPid, "page tables");
        Tasks(b, events, endNs);
        Faults(b, events);
        Cpus(b, events, endNs);
        var writeHolds = Locks(b, events, endNs);
        PageTables(b, events);
        var passes = ScanPasses(b, recorded.Record);
        ProbeReads(b, events, new Causes(passes, writeHolds));
        return b.Json(experiment, spec);
    }

    // Each task's operations (TaskOp hook) as back-to-back slices until the next one or its exit.
    private static void Tasks(Builder b, IReadOnlyList<ProvenanceEvent> events, long endNs)
    {
        var open = new SortedDictionary<int, string>();
        foreach (var e in events.Where(e => e.Kind == ProvenanceKind.TaskOp))
        {
            var task = Int(e.Get("task")!);
            b.Thread(TasksPid, task, $"task {task}");
            if (open.Remove(task, out var prev)) b.End(TasksPid, task, e.AtNs, prev);
            var op = e.Get("op")!;
            if (op == "exit")
            {
                b.Instant(TasksPid, task, e.AtNs, "do_exit()", "task", []);
                continue;
            }
            var name = OpName(op);
            b.Begin(TasksPid, task, e.AtNs, name, "task");
            open[task] = name;
        }
        foreach (var (task, name) in open) b.End(TasksPid, task, endNs, name);
    }

    // Each fault handle_mm_fault() resolved, an instant on the track of the task whose access took it.
    private static void Faults(Builder b, IReadOnlyList<ProvenanceEvent> events)
    {
        foreach (var e in events.Where(e => e.Kind == ProvenanceKind.FaultHandled))
        {
            var task = Int(e.Get("task")!);
            b.Thread(TasksPid, task, $"task {task}");
            var major = e.Get("major") == "yes";
            b.Instant(TasksPid, task, e.AtNs, $"page fault: {e.Get("kind")}{(major ? " (major)" : "")}", "fault",
                [("addr", "0x" + e.Get("addr")), ("mm", e.MmId.ToString(CultureInfo.InvariantCulture)), ("pagesMapped", e.Get("pagesMapped")!), ("by", e.Actor)]);
        }
    }

    // Per CPU: the task its run queue runs (slices from switch to switch), the BPF programs it runs at a tracepoint
    // (in atomic context, while the task that hit it waits), and nr_running as a counter. Two threads per CPU, so
    // a program run inside a task's time on the CPU does not break the nesting of either.
    private static void Cpus(Builder b, IReadOnlyList<ProvenanceEvent> events, long endNs)
    {
        var sched = events.Where(e => e.Kind is ProvenanceKind.CpuRunQueue or ProvenanceKind.CpuBpf).ToArray();
        if (sched.Length == 0) return;
        b.Process(CpusPid, "CPUs");
        var running = new SortedDictionary<int, string>();
        var bpf = new SortedDictionary<int, string>();
        foreach (var e in sched)
        {
            var cpu = Int(e.Get("cpu")!);
            var task = Int(e.Get("task")!);
            if (e.Kind == ProvenanceKind.CpuRunQueue)
            {
                var tid = 2 * cpu + 1;
                b.Thread(CpusPid, tid, $"cpu {cpu}: running");
                var name = task < 0 ? null : $"task {task}";
                if (running.TryGetValue(cpu, out var prev) && prev != name)
                {
                    b.End(CpusPid, tid, e.AtNs, prev);
                    running.Remove(cpu);
                }
                if (name is not null && !running.ContainsKey(cpu))
                {
                    b.Begin(CpusPid, tid, e.AtNs, name, "sched");
                    running[cpu] = name;
                }
                b.Counter(CpusPid, tid, e.AtNs, $"cpu {cpu} nr_running", Int(e.Get("nrRunning")!));
                continue;
            }
            var bpfTid = 2 * cpu + 2;
            b.Thread(CpusPid, bpfTid, $"cpu {cpu}: BPF programs");
            if (e.Get("begin") == "yes")
            {
                var name = $"BPF at {e.Get("point")} (task {task})";
                b.Begin(CpusPid, bpfTid, e.AtNs, name, "bpf");
                bpf[cpu] = name;
            }
            else if (bpf.Remove(cpu, out var open)) b.End(CpusPid, bpfTid, e.AtNs, open);
        }
        foreach (var (cpu, name) in running) b.End(CpusPid, 2 * cpu + 1, endNs, name);
        foreach (var (cpu, name) in bpf) b.End(CpusPid, 2 * cpu + 2, endNs, name);
    }

    private static string OpName(string op) => op switch
    {
        "SpawnOp" => "fork/vfork (spawn a child)",
        "ExecOp" => "execve()",
        "TouchOp" => "touch memory (may fault)",
        "SyscallOp" => "syscall (tracepoint)",
        "ComputeOp" => "compute (on CPU)",
        "SleepOp" => "sleep",
        "WaitChildOp" => "wait4() for a child",
        "BlockForeverOp" => "blocked",
        "HoldMmapLockOp" => "hold mmap_lock",
        "MmapWriteOp" => "mmap/mprotect/munmap (mmap_lock for write)",
        "MoveToCpuOp" => "migrate to a CPU",
        "AdviseOp" => "madvise/fadvise",
        _ => op,
    };

    /// <summary>A write hold of an mmap_lock as drawn: the lock actor, its track, and when.</summary>
    private sealed record WriteHold(string Lock, int Pid, int Tid, long StartNs, long EndNs);

    /// <summary>What a flow can start from besides page-table instants: the listed scan passes and the write holds.</summary>
    private sealed record Causes(IReadOnlyList<Actors.Metrics.ScanPass> Passes, IReadOnlyList<WriteHold> WriteHolds);

    // mmap_lock holders (a thread per owner, holds as B/E) and waiters (async b/e from queueing to the grant).
    // Returns the write holds (dup_mmap()'s among them), in the order they ended.
    private static List<WriteHold> Locks(Builder b, IReadOnlyList<ProvenanceEvent> events, long endNs)
    {
        var waits = new List<(int Pid, long Owner, string Name, long Id)>();
        var holds = new List<(int Pid, long Owner, string Name, long StartNs, string Lock)>();
        var writeHolds = new List<WriteHold>();
        foreach (var e in events)
        {
            if (e.Kind is not (ProvenanceKind.RwsemQueued or ProvenanceKind.RwsemGranted or ProvenanceKind.RwsemReleased)) continue;
            var pid = b.Lock(e.Actor);
            var owner = Long(e.Get("owner")!);
            var tid = b.Holder(pid, owner);
            var write = e.Get("write") == "yes";
            switch (e.Kind)
            {
                case ProvenanceKind.RwsemQueued:
                {
                    var id = b.NextId();
                    var name = $"{LockOwners.Describe(owner)} waits for {(write ? "write" : "read")}";
                    b.AsyncBegin(pid, tid, e.AtNs, name, id);
                    waits.Add((pid, owner, name, id));
                    break;
                }
                case ProvenanceKind.RwsemGranted:
                {
                    var i = waits.FindIndex(w => w.Pid == pid && w.Owner == owner);
                    if (i >= 0)
                    {
                        b.AsyncEnd(pid, tid, e.AtNs, waits[i].Name, waits[i].Id);
                        waits.RemoveAt(i);
                    }
                    var name = write ? "holds for write" : "holds for read";
                    b.Begin(pid, tid, e.AtNs, name, "mmap_lock");
                    holds.Add((pid, owner, name, e.AtNs, e.Actor));
                    break;
                }
                default:
                {
                    var i = holds.FindLastIndex(h => h.Pid == pid && h.Owner == owner);
                    if (i < 0) break;
                    b.End(pid, tid, e.AtNs, holds[i].Name);
                    if (write) writeHolds.Add(new WriteHold(e.Actor, pid, tid, holds[i].StartNs, e.AtNs));
                    holds.RemoveAt(i);
                    break;
                }
            }
        }
        for (var i = holds.Count - 1; i >= 0; i--)
        {
            var h = holds[i];
            var tid = b.Holder(h.Pid, h.Owner);
            b.End(h.Pid, tid, endNs, h.Name);
            if (h.Name == "holds for write") writeHolds.Add(new WriteHold(h.Lock, h.Pid, tid, h.StartNs, endNs));
        }
        foreach (var w in waits) b.AsyncEnd(w.Pid, b.Holder(w.Pid, w.Owner), endNs, w.Name, w.Id);
        return writeHolds;
    }

    // Counters per mm: present PTEs and PROT_NONE PTEs, one sample per virtual instant at which they changed
    // (building a process image sets hundreds of PTEs at one instant: only the last value is shown).
    private static void PageTables(Builder b, IReadOnlyList<ProvenanceEvent> events)
    {
        var present = new SortedDictionary<int, int>();
        var protNone = new SortedDictionary<int, int>();
        var samples = new List<(long AtNs, int Mm, string Name, int Value)>();
        // Lookup only (never iterated): a counter's latest sample, replaced while the instant is the same.
        var last = new Dictionary<string, int>();
        void Sample(long atNs, int mm, string name, int value)
        {
            if (last.TryGetValue(name, out var i) && samples[i].AtNs == atNs) samples[i] = (atNs, mm, name, value);
            else
            {
                last[name] = samples.Count;
                samples.Add((atNs, mm, name, value));
            }
        }
        foreach (var e in events)
        {
            if (e.Kind is not (ProvenanceKind.PteSet or ProvenanceKind.PteCleared)) continue;
            var oldState = e.Old.State;
            var newState = e.Kind == ProvenanceKind.PteCleared ? PteState.None : e.New.State;
            b.Thread(PageTablesPid, e.MmId, $"mm {e.MmId}");
            if (Count(present, e.MmId, oldState == PteState.Present, newState == PteState.Present) is { } p)
                Sample(e.AtNs, e.MmId, $"mm {e.MmId} present PTEs", p);
            if (Count(protNone, e.MmId, oldState == PteState.ProtNone, newState == PteState.ProtNone) is { } n)
                Sample(e.AtNs, e.MmId, $"mm {e.MmId} PROT_NONE PTEs", n);
        }
        foreach (var s in samples) b.Counter(PageTablesPid, s.Mm, s.AtNs, s.Name, s.Value);
    }

    private static int? Count(SortedDictionary<int, int> counts, int mm, bool was, bool isNow)
    {
        if (was == isNow) return null;
        counts[mm] = counts.GetValueOrDefault(mm) + (isNow ? 1 : -1);
        return counts[mm];
    }

    // The run's listed task_numa_work() passes, a track per mm.
    private static IReadOnlyList<Actors.Metrics.ScanPass> ScanPasses(Builder b, RunRecord record)
    {
        var passes = record.Metrics?.ScanPasses ?? [];
        if (passes.Count == 0) return passes;
        b.Process(NumaPid, "NUMA balancing (task_numa_work)");
        foreach (var p in passes.OrderBy(p => p.StartNs))
        {
            b.Thread(NumaPid, p.MmId, $"scanner of mm {p.MmId}");
            var name = p.SkippedLockBusy ? "scan pass skipped (mmap_read_trylock failed)" : $"scan pass (numa_scan_seq {p.ScanSeq}, {p.PtesUpdated} PTEs made PROT_NONE)";
            b.Begin(NumaPid, p.MmId, p.StartNs, name, "numa");
            b.End(NumaPid, p.MmId, p.EndNs, name);
        }
        return passes;
    }

    // Every probe read as an instant; each failed one with a flow from the event that caused it. The format binds
    // a flow's ends to enclosing slices, not to instants: a failed read with a cause also gets a 1 ns slice at
    // its instant to hold the arrow's head.
    private static void ProbeReads(Builder b, IReadOnlyList<ProvenanceEvent> events, Causes causes)
    {
        // Lookup only (never iterated): the changes already marked with an instant.
        var sources = new HashSet<int>();
        foreach (var r in events.Where(e => e.Kind == ProvenanceKind.ProbeReadDone))
        {
            var tid = b.Probe(r.Actor);
            var ok = r.Get("ok") == "yes";
            var cause = r.Get("cause")!;
            var args = new List<(string, string)>
            {
                ("target", r.Get("target")!), ("addr", "0x" + r.Get("addr")), ("task", r.Get("task")!),
                ("policy", r.Get("policy")!), ("attach", r.Get("attach")!),
            };
            if (!ok) args.Add(("cause", cause));
            if (!ok && Source(b, events, r, cause, causes, sources) is { } src)
            {
                var id = b.NextId();
                var name = $"read {r.Get("target")} FAILED: {cause}";
                b.FlowStart(src.Pid, src.Tid, src.AtNs, id);
                b.Begin(ProbesPid, tid, r.AtNs, name, "probe-read-failed:" + cause);
                b.Instant(ProbesPid, tid, r.AtNs, $"read {r.Get("target")}", "probe-read-failed:" + cause, args);
                b.FlowEnd(ProbesPid, tid, r.AtNs, id);
                b.End(ProbesPid, tid, r.AtNs + 1, name);
                continue;
            }
            b.Instant(ProbesPid, tid, r.AtNs, $"read {r.Get("target")}", ok ? "probe-read" : "probe-read-failed:" + cause, args);
        }
    }

    // Where the flow to a failed read starts: dup_mmap()'s write hold on the parent's mmap_lock when it skipped
    // the PTE, the scan pass that made it PROT_NONE, the writer holding the mmap_lock, or the zap that removed
    // the PTE; an instant on the page table marks the change as well when no slice encloses it. Null when the
    // read has no recorded cause (a page never mapped).
    private static (int Pid, int Tid, long AtNs)? Source(Builder b, IReadOnlyList<ProvenanceEvent> events, ProvenanceEvent read, string cause,
        Causes causes, HashSet<int> marked)
    {
        var passes = causes.Passes;
        if (cause == FailureCause.MmapLockContended.ToKebab())
        {
            var t = events.LastOrDefault(e => e.Seq < read.Seq && e.Kind == ProvenanceKind.RwsemTrylockFailed && e.Get("owner") == read.Get("lockOwner"));
            if (t is null || t.Get("writer") is not { } w || w == "-") return null;
            var pid = b.Lock(t.Actor);
            return (pid, b.Holder(pid, Long(w)), t.AtNs);
        }
        var walk = events.LastOrDefault(e => e.Seq < read.Seq && e.Kind == ProvenanceKind.ProbeWalk && e.Get("addr") == read.Get("addr"));
        if (walk is null) return null;
        var change = events.LastOrDefault(e => e.Seq < walk.Seq && e.MmId == walk.MmId && e.Vpn == walk.Vpn &&
            e.Kind is ProvenanceKind.PteSet or ProvenanceKind.PteCleared or ProvenanceKind.ForkSkippedPte);
        if (change is null) return null;
        if (change.Kind == ProvenanceKind.PteSet && change.New.State == PteState.ProtNone
            && passes.FirstOrDefault(p => p.MmId == change.MmId && p.StartNs <= change.AtNs && change.AtNs <= p.EndNs) is { } pass)
            return (NumaPid, pass.MmId, change.AtNs);
        var fork = change.Kind == ProvenanceKind.ForkSkippedPte
            ? causes.WriteHolds.FirstOrDefault(h => h.Lock == "mmap-sem" + change.Get("parentMm") && h.StartNs <= change.AtNs && change.AtNs <= h.EndNs)
            : null;
        b.Thread(PageTablesPid, change.MmId, $"mm {change.MmId}");
        if (marked.Add(change.Seq))
            b.Instant(PageTablesPid, change.MmId, change.AtNs, ChangeName(change), "provenance",
                [("vpn", $"0x{change.Vpn:x}"), ("by", $"{change.Actor} handling {change.Message}")]);
        return fork is null ? (PageTablesPid, change.MmId, change.AtNs) : (fork.Pid, fork.Tid, change.AtNs);
    }

    private static string ChangeName(ProvenanceEvent e) => e.Kind switch
    {
        ProvenanceKind.ForkSkippedPte => $"dup_mmap(): copy_page_range() skipped {e.Get("vma")} (vma_needs_copy() false)",
        ProvenanceKind.PteCleared => "PTE zapped",
        _ when e.New.State == PteState.ProtNone => "change_prot_numa(): PTE made PROT_NONE",
        _ => $"PTE set ({e.New.State})",
    };

    private static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);

    private static long Long(string s) => long.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>Virtual ns as µs with exactly three decimals, without floating point.</summary>
    public static string Micros(long ns) =>
        (ns / 1000).ToString(CultureInfo.InvariantCulture) + "." + (ns % 1000).ToString("D3", CultureInfo.InvariantCulture);

    // Collects events in the order they are made (a stable sort by time puts them in file order) and names every track.
    private sealed class Builder
    {
        private readonly List<(long AtNs, string Json)> _events = new();
        private readonly List<string> _meta = new();
        private readonly SortedSet<(int, int)> _threads = new();
        private readonly List<string> _locks = new();
        private readonly List<(int Pid, long Owner)> _holders = new();
        private readonly List<string> _probes = new();
        private long _nextId = 1;

        public long NextId() => _nextId++;

        public void Process(int pid, string name) =>
            _meta.Add($"{{\"ph\":\"M\",\"pid\":{pid},\"tid\":0,\"name\":\"process_name\",\"args\":{{\"name\":{Str(name)}}}}}");

        public void Thread(int pid, int tid, string name)
        {
            if (_threads.Add((pid, tid)))
                _meta.Add($"{{\"ph\":\"M\",\"pid\":{pid},\"tid\":{tid},\"name\":\"thread_name\",\"args\":{{\"name\":{Str(name)}}}}}");
        }

        // A pid per mmap_lock, in order of first use; the lock actor is named mmap-semN after its mm.
        public int Lock(string actor)
        {
            var i = _locks.IndexOf(actor);
            if (i >= 0) return FirstLockPid + i;
            _locks.Add(actor);
            var pid = FirstLockPid + _locks.Count - 1;
            Process(pid, actor.StartsWith("mmap-sem", StringComparison.Ordinal) ? $"mmap_lock of mm {actor["mmap-sem".Length..]}" : $"mmap_lock ({actor})");
            return pid;
        }

        public int Holder(int pid, long owner)
        {
            var i = _holders.IndexOf((pid, owner));
            if (i < 0)
            {
                _holders.Add((pid, owner));
                i = _holders.Count - 1;
            }
            Thread(pid, i + 1, LockOwners.Describe(owner));
            return i + 1;
        }

        public int Probe(string actor)
        {
            var i = _probes.IndexOf(actor);
            if (i < 0)
            {
                _probes.Add(actor);
                i = _probes.Count - 1;
            }
            Thread(ProbesPid, i + 1, actor);
            return i + 1;
        }

        public void Begin(int pid, int tid, long ns, string name, string cat) =>
            Add(ns, $"\"ph\":\"B\",\"pid\":{pid},\"tid\":{tid},\"ts\":{Micros(ns)},\"cat\":{Str(cat)},\"name\":{Str(name)}");

        public void End(int pid, int tid, long ns, string name) =>
            Add(ns, $"\"ph\":\"E\",\"pid\":{pid},\"tid\":{tid},\"ts\":{Micros(ns)},\"name\":{Str(name)}");

        public void AsyncBegin(int pid, int tid, long ns, string name, long id) =>
            Add(ns, $"\"ph\":\"b\",\"pid\":{pid},\"tid\":{tid},\"ts\":{Micros(ns)},\"cat\":\"mmap_lock-wait\",\"id\":{id},\"name\":{Str(name)}");

        public void AsyncEnd(int pid, int tid, long ns, string name, long id) =>
            Add(ns, $"\"ph\":\"e\",\"pid\":{pid},\"tid\":{tid},\"ts\":{Micros(ns)},\"cat\":\"mmap_lock-wait\",\"id\":{id},\"name\":{Str(name)}");

        public void Instant(int pid, int tid, long ns, string name, string cat, IReadOnlyList<(string Key, string Value)> args) =>
            Add(ns, $"\"ph\":\"i\",\"s\":\"t\",\"pid\":{pid},\"tid\":{tid},\"ts\":{Micros(ns)},\"cat\":{Str(cat)},\"name\":{Str(name)},\"args\":{{{string.Join(",", args.Select(a => $"{Str(a.Key)}:{Str(a.Value)}"))}}}");

        public void Counter(int pid, int tid, long ns, string name, int value) =>
            Add(ns, $"\"ph\":\"C\",\"pid\":{pid},\"tid\":{tid},\"ts\":{Micros(ns)},\"name\":{Str(name)},\"args\":{{\"value\":{value}}}");

        public void FlowStart(int pid, int tid, long ns, long id) =>
            Add(ns, $"\"ph\":\"s\",\"pid\":{pid},\"tid\":{tid},\"ts\":{Micros(ns)},\"cat\":\"cause\",\"id\":{id},\"name\":\"cause\"");

        public void FlowEnd(int pid, int tid, long ns, long id) =>
            Add(ns, $"\"ph\":\"f\",\"bp\":\"e\",\"pid\":{pid},\"tid\":{tid},\"ts\":{Micros(ns)},\"cat\":\"cause\",\"id\":{id},\"name\":\"cause\"");

        private void Add(long ns, string body) => _events.Add((ns, "{" + body + "}"));

        public string Json(string experiment, RunSpec spec)
        {
            var sb = new StringBuilder();
            sb.Append("{\"displayTimeUnit\":\"ns\",\"otherData\":{");
            sb.Append($"\"experiment\":{Str(experiment)},\"run\":{spec.Run},\"policy\":{Str(spec.Policy.Name)},\"seed\":{spec.Seed.ToString(CultureInfo.InvariantCulture)},");
            sb.Append($"\"point\":{Str(string.Join(", ", spec.Point.Select(p => $"{p.Key}={p.Value}")))},\"timeUnit\":\"virtual ns, written as us\"}},\n\"traceEvents\":[\n");
            var lines = _meta.Concat(_events.Select((e, i) => (e, i)).OrderBy(x => x.e.AtNs).ThenBy(x => x.i).Select(x => x.e.Json));
            sb.Append(string.Join(",\n", lines));
            sb.Append("\n]}\n");
            return sb.ToString();
        }

        private static string Str(string s) => JsonSerializer.Serialize(s);
    }
}
