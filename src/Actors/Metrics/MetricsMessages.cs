using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Metrics;

/// <summary>
/// One probe read finished. <paramref name="Cause"/> is null when it succeeded; <paramref name="PastString"/>:
/// a fixed-size read (probe.read-size = fixed) failed at a page past the string's NUL, which the _str helper would not have read.
/// Published on the actor system's event stream too, so scenario tests can observe every read.
/// </summary>
public sealed record ProbeReadCompleted(
    long AtNs, string Attach, string Policy, string Target, int TaskId, ulong Addr,
    bool Ok, FailureCause? Cause, long LatencyNs, bool PastString = false);

/// <summary>A fault the kernel resolved (user access or copy_from_user).</summary>
public sealed record FaultTaken(FaultKind Kind, bool Major, int PagesMapped);

/// <summary>A probe read target was not read because the read it depends on failed (argv strings after a failed argv-array read).</summary>
public sealed record ProbeReadSkipped(string Target, int Count);

/// <summary>dup_mmap finished: how long the parent's mmap_lock was held for write.</summary>
public sealed record ForkFinished(long WriteLockHoldNs, long WriteLockWaitNs, int Vmas, int PtesCopied, int PresentPtesSkipped);

public sealed record ExecFinished(int TaskId);

/// <summary>Ask for the run's figures; answered with <see cref="RunMetrics"/>.</summary>
public sealed record MetricsSnapshot(IActorRef ReplyTo);

/// <summary>A NUMA hint fault (do_numa_page) on behalf of a task: local or remote, migrated or not, and the page's node after it.</summary>
public sealed record NumaHintFaultTaken(long AtNs, int MmId, int TaskId, bool Local, bool Migrated, int Node);

/// <summary>
/// A task_numa_work() pass: when it started (won numa_next_scan) and ended, for which mm and task,
/// the PTEs it made PROT_NONE, and whether it was skipped because mmap_read_trylock() failed.
/// </summary>
public sealed record NumaScanPassFinished(long StartNs, long EndNs, int MmId, int TaskId, int PtesUpdated, int ScanSeq, bool SkippedLockBusy);

/// <summary>The page-table view of an mm at a virtual time (for the pagemap command), published on the event stream.</summary>
public sealed record PageTableSnapshot(long AtNs, int MmId, IReadOnlyList<PageTableRow> Rows);
