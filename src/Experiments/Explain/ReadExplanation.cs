namespace ActorKernel.Experiments.Explain;

/// <summary>
/// One link of a read's causal chain: when (<c>AtNs</c>, virtual), who (<c>Actor</c> handling <c>Message</c>),
/// <c>Kind</c> — a stable name tools can match (probe-read, mmap-lock, probe-walk, pte, fork-skipped-pte,
/// child-touched) — and <c>Text</c>, what happened in kernel terms.
/// </summary>
public sealed record ChainLink(long AtNs, string Actor, string Message, string Kind, string Text);

/// <summary>What another policy did with the read at the same place in its run (same seed, point and repetition).</summary>
public sealed record OtherPolicyOutcome(string Policy, int Run, string Outcome);

/// <summary>
/// The explanation of one probe read of a run: which read (<see cref="Read"/>: its position among the
/// run's reads), its outcome, the chain newest first, and what each other policy did.
/// </summary>
public sealed record ReadExplanation(
    string Experiment, int Run, string Policy, string Point, ulong Seed, int Read, int Reads,
    string Target, string Attach, int TaskId, ulong Addr, long AtNs, bool Ok, string? Cause,
    IReadOnlyList<ChainLink> Chain, IReadOnlyList<OtherPolicyOutcome> OtherPolicies);
