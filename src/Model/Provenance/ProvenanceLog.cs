using System.Globalization;

namespace ActorKernel.Model;

/// <summary>
/// The provenance of a run's PTEs, locks and probe reads (issue 20), recorded only when asked:
/// the explain and trace commands re-run a run from its seed with a log installed on the lane's
/// thread. The model's mutation points call <c>ProvenanceLog.Current?.…(…)</c>: with no log that
/// is one static read, the arguments are not even evaluated, and nothing is allocated.
/// A lane drives one run at a time on one thread, so the thread-static log is the run's.
/// </summary>
public sealed class ProvenanceLog
{
    [ThreadStatic]
    private static ProvenanceLog? _current;

    // Logs installed on any thread. A plain static read is cheaper than a thread-static one, so with no
    // log anywhere (every command but explain, trace and report.html's re-runs) a hook costs one load.
    private static int _installed;

    private readonly List<ProvenanceEvent> _events = new();
    private Func<long> _nowNs = () => 0;
    private Func<(string Actor, string Message)> _context = () => ("-", "-");
    private (int ParentMmId, int ChildMmId, Vma Vma, KeyValuePair<string, string>[] Detail)? _lastSkip;

    /// <summary>The log of the run driven on this thread, or null (recording off).</summary>
    public static ProvenanceLog? Current => Volatile.Read(ref _installed) == 0 ? null : _current;

    /// <summary>Everything recorded, in order.</summary>
    public IReadOnlyList<ProvenanceEvent> Events => _events;

    /// <summary>Installs <paramref name="log"/> for the runs driven on this thread until the result is disposed.</summary>
    public static IDisposable Install(ProvenanceLog log)
    {
        if (_current is not null) throw new InvalidOperationException("a provenance log is already installed on this thread");
        _current = log;
        Interlocked.Increment(ref _installed);
        return new Uninstall();
    }

    /// <summary>The run's clock and the current actor and message (the actor layer binds them when the run starts).</summary>
    public void Bind(Func<long> nowNs, Func<(string Actor, string Message)> context)
    {
        _nowNs = nowNs;
        _context = context;
    }

    /// <summary>set_pte_at() on mm <paramref name="mmId"/>: <paramref name="old"/> became <paramref name="pte"/>.</summary>
    public void PteSet(int mmId, ulong vpn, Pte old, Pte pte) => Add(ProvenanceKind.PteSet, mmId, vpn, old, pte);

    /// <summary>pte_clear() on mm <paramref name="mmId"/>.</summary>
    public void PteCleared(int mmId, ulong vpn, Pte old) => Add(ProvenanceKind.PteCleared, mmId, vpn, old, Pte.Empty);

    /// <summary>dup_mmap() of <paramref name="parentMmId"/> into <paramref name="childMmId"/> did not copy the parent's present PTE at <paramref name="vpn"/>, in <paramref name="vma"/>.</summary>
    public void ForkSkippedPte(int parentMmId, int childMmId, ulong vpn, Vma vma, Pte parentPte)
    {
        // dup_mmap() skips a VMA's present PTEs one after another, and their details are the VMA's: one array serves them all
        // (a fork-exec run records tens of thousands of these, and formatting each one's details was most of a recording's cost).
        if (_lastSkip is not { } last || last.ParentMmId != parentMmId || last.ChildMmId != childMmId || !ReferenceEquals(last.Vma, vma))
            _lastSkip = last = (parentMmId, childMmId, vma, Pairs(
                ("parentMm", Num(parentMmId)), ("vma", vma.Name), ("vmaStart", $"{vma.StartAddr:x}"), ("vmaEnd", $"{vma.EndAddr:x}"),
                ("vmaKind", vma.Kind.ToString()), ("anonVma", vma.HasAnonVma ? "yes" : "no"), ("flags", vma.Flags.ToString())));
        AddEvent(ProvenanceKind.ForkSkippedPte, childMmId, vpn, parentPte, Pte.Empty, last.Detail);
    }

    /// <summary>bpf_probe_read_user()'s walk of mm <paramref name="mmId"/> from <paramref name="addr"/>.</summary>
    public void ProbeWalk(int mmId, ulong addr, int lengthBytes, ProbeReadResult r) =>
        Add(ProvenanceKind.ProbeWalk, mmId, r.Ok ? Pages.Vpn(addr) : Pages.Vpn(r.FaultingAddr), default, default,
            ("addr", $"{addr:x}"), ("length", Num(lengthBytes)), ("ok", r.Ok ? "yes" : "no"),
            ("cause", r.Cause?.ToKebab() ?? "-"), ("faultingAddr", $"{r.FaultingAddr:x}"), ("pagesWalked", Num(r.PagesWalked)));

    /// <summary>down_read_trylock() by <paramref name="owner"/> failed on <paramref name="sem"/>: who held it, since when, and who waited.</summary>
    public void RwsemTrylockFailed(RwSemaphore sem, long owner) =>
        Add(ProvenanceKind.RwsemTrylockFailed, -1, 0, default, default,
            ("owner", Num(owner)), ("writer", sem.WriterOwner is { } w ? Num(w) : "-"),
            ("writerSinceNs", sem.WriterSinceNs is { } s ? Num(s) : "-"), ("readers", Num(sem.ReaderCount)),
            ("waiters", string.Join(" ", sem.Waiters.Select(x => $"{(x.Write ? "w" : "r")}:{x.Owner}@{x.QueuedAt.Ns}"))),
            ("handoff", sem.HandoffSet ? "yes" : "no"));

    /// <summary>A probe read finished: its target, the task, the address, and the outcome.</summary>
    public void ProbeReadDone(string attach, string policy, string target, int taskId, ulong addr, bool ok, FailureCause? cause, long lockOwner) =>
        Add(ProvenanceKind.ProbeReadDone, -1, Pages.Vpn(addr), default, default,
            ("attach", attach), ("policy", policy), ("target", target), ("task", Num(taskId)), ("addr", $"{addr:x}"),
            ("ok", ok ? "yes" : "no"), ("cause", cause?.ToKebab() ?? "-"), ("lockOwner", Num(lockOwner)));

    /// <summary>rwsem_down_read_slowpath()/rwsem_down_write_slowpath(): <paramref name="owner"/> queued (the lock is the current actor's).</summary>
    public void RwsemQueued(long owner, bool write) => Add(ProvenanceKind.RwsemQueued, -1, 0, default, default, ("owner", Num(owner)), ("write", write ? "yes" : "no"));

    /// <summary>The rwsem was granted to <paramref name="owner"/>.</summary>
    public void RwsemGranted(long owner, bool write) => Add(ProvenanceKind.RwsemGranted, -1, 0, default, default, ("owner", Num(owner)), ("write", write ? "yes" : "no"));

    /// <summary>up_read()/up_write() by <paramref name="owner"/>.</summary>
    public void RwsemReleased(long owner, bool write) => Add(ProvenanceKind.RwsemReleased, -1, 0, default, default, ("owner", Num(owner)), ("write", write ? "yes" : "no"));

    /// <summary>Task <paramref name="taskId"/> began operation <paramref name="op"/> ("exit" when it exits).</summary>
    public void TaskOp(int taskId, string op) => Add(ProvenanceKind.TaskOp, -1, 0, default, default, ("task", Num(taskId)), ("op", op));

    /// <summary>handle_mm_fault() (mm/memory.c) on mm <paramref name="mmId"/> resolved task <paramref name="taskId"/>'s fault at <paramref name="addr"/>.</summary>
    public void FaultHandled(int mmId, int taskId, ulong addr, string kind, bool major, int pagesMapped) =>
        Add(ProvenanceKind.FaultHandled, mmId, Pages.Vpn(addr), default, default,
            ("task", Num(taskId)), ("addr", $"{addr:x}"), ("kind", kind), ("major", major ? "yes" : "no"), ("pagesMapped", Num(pagesMapped)));

    /// <summary>CPU <paramref name="cpu"/>'s run queue (kernel/sched/core.c): task <paramref name="runningTaskId"/> on it (-1 idle), <paramref name="nrRunning"/> runnable in all.</summary>
    public void CpuRunQueue(int cpu, int runningTaskId, int nrRunning) =>
        Add(ProvenanceKind.CpuRunQueue, -1, 0, default, default, ("cpu", Num(cpu)), ("task", Num(runningTaskId)), ("nrRunning", Num(nrRunning)));

    /// <summary>CPU <paramref name="cpu"/> began (<paramref name="begin"/>) or ended running the programs at tracepoint <paramref name="point"/> for task <paramref name="taskId"/>.</summary>
    public void CpuBpf(int cpu, int taskId, string point, bool begin) =>
        Add(ProvenanceKind.CpuBpf, -1, 0, default, default, ("cpu", Num(cpu)), ("task", Num(taskId)), ("point", point), ("begin", begin ? "yes" : "no"));

    private void Add(ProvenanceKind kind, int mmId, ulong vpn, Pte old, Pte pte, params (string Key, string Value)[] detail) =>
        AddEvent(kind, mmId, vpn, old, pte, Pairs(detail));

    private void AddEvent(ProvenanceKind kind, int mmId, ulong vpn, Pte old, Pte pte, KeyValuePair<string, string>[] detail)
    {
        var (actor, message) = _context();
        _events.Add(new ProvenanceEvent(_events.Count, _nowNs(), actor, message, kind, mmId, vpn, old, pte, detail));
    }

    private static KeyValuePair<string, string>[] Pairs(params (string Key, string Value)[] detail)
    {
        if (detail.Length == 0) return [];
        var pairs = new KeyValuePair<string, string>[detail.Length];
        for (var i = 0; i < detail.Length; i++) pairs[i] = new KeyValuePair<string, string>(detail[i].Key, detail[i].Value);
        return pairs;
    }

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);

    private sealed class Uninstall : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _current = null;
            Interlocked.Decrement(ref _installed);
        }
    }
}
