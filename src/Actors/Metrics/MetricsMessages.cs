using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Metrics;

/// <summary>
/// One probe read finished. <paramref name="Cause"/> is null when it succeeded.
/// Published on the actor system's event stream too, so scenario tests can observe every read.
/// </summary>
public sealed record ProbeReadCompleted(
    long AtNs, string Attach, string Policy, string Target, int TaskId, ulong Addr,
    bool Ok, FailureCause? Cause, long LatencyNs);

/// <summary>A fault the kernel resolved (user access or copy_from_user).</summary>
public sealed record FaultTaken(FaultKind Kind, bool Major, int PagesMapped);

/// <summary>A probe read target was not read because the read it depends on failed (argv strings after a failed argv-array read).</summary>
public sealed record ProbeReadSkipped(string Target, int Count);

/// <summary>dup_mmap finished: how long the parent's mmap_lock was held for write.</summary>
public sealed record ForkFinished(long WriteLockHoldNs, long WriteLockWaitNs, int Vmas, int PtesCopied, int PresentPtesSkipped);

public sealed record ExecFinished(int TaskId);

/// <summary>Ask for the run's figures; answered with <see cref="RunMetrics"/>.</summary>
public sealed record MetricsSnapshot(IActorRef ReplyTo);
