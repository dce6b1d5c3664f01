using ActorKernel.Configuration;

namespace ActorKernel.Experiments.Configuration;

/// <summary>The <c>experiment</c> block, bound and validated.</summary>
public sealed record ExperimentSettings
{
    /// <summary>The experiment's name ([a-z0-9-]+), used for the output folder.</summary>
    public required string Name { get; init; }

    /// <summary>The seed every run's seed is derived from.</summary>
    public required long Seed { get; init; }

    /// <summary>Repetitions of every sweep point and policy.</summary>
    public required int RunsPerPoint { get; init; }

    /// <summary>The probe policies to compare, in the order written.</summary>
    public required IReadOnlyList<PolicyKind> Policies { get; init; }

    /// <summary>The sweep's axes in the order written; the first is the outermost loop.</summary>
    public required IReadOnlyList<SweepAxis> Sweep { get; init; }
}

/// <summary>One swept key: its full path (with <c>actor-kernel.</c>) and the values to try, as written.</summary>
public sealed record SweepAxis(string KeyPath, IReadOnlyList<string> Values);

/// <summary>
/// The probe policies an experiment can compare (kernel-model.md §5), written in kebab case
/// (or by <see cref="ConfigNameAttribute"/>). Adding a policy to configuration is adding a member.
/// </summary>
public enum PolicyKind
{
    /// <summary>Today's bpf_probe_read_user(): page faults disabled, any fault fails with -EFAULT.</summary>
    [ConfigName("nofault")]
    NoFault,

    /// <summary>The seed's proposal: trylock the mmap lock, resolve minor faults in place, fail when contended or major.</summary>
    TrylockMinor,

    /// <summary>The proposal with the per-VMA lock instead of the mmap lock (profiles with per-vma-locks).</summary>
    TrylockVma,

    /// <summary>A sleepable program: full faults, waiting for the lock and for I/O (where the attach point allows it).</summary>
    Sleepable,

    /// <summary>Read at the exit point (sched_process_exec), from the new mm's argument area.</summary>
    Deferred,
}
