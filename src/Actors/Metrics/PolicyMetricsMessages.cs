using ActorKernel.Model;

namespace ActorKernel.Actors.Metrics;

/// <summary>trylock-vma: one vma_start_read() and whether it got in.</summary>
public sealed record VmaLockTried(bool Acquired);

/// <summary>
/// What an mmap lock did since its last report (deltas; every mm's lock reports, so the run's
/// figures are sums over its mms).
/// </summary>
public sealed record MmapLockStatsDelta(RwsemCounters Delta);

/// <summary>A writer got the mmap lock after <paramref name="WaitedNs"/>, of which <paramref name="ByProbeNs"/> a probe held it for read.</summary>
public sealed record MmapWriterGranted(long WaitedNs, long ByProbeNs);

/// <summary>A probe read was deferred to the exit point; <paramref name="Stale"/>: the bytes read there differ from those at the tracepoint.</summary>
public sealed record DeferredReadChecked(bool Stale);

/// <summary>A probe program held a task at a tracepoint for <paramref name="ProgramNs"/>, of which <paramref name="FaultAndLockNs"/> went to waiting for locks and resolving faults.</summary>
public sealed record ProbeProgramTimed(long ProgramNs, long FaultAndLockNs);

/// <summary>A churn syscall finished: it waited <paramref name="WaitNs"/> for the mmap lock.</summary>
public sealed record ChurnOpDone(MmapWriteKind Kind, long WaitNs);
