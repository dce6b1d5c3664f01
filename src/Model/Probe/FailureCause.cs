namespace ActorKernel.Model;

/// <summary>Why a bpf_probe_read_user() found no present, readable PTE (docs/kernel-model.md §1).</summary>
public enum FailureCause
{
    /// <summary>VMA exists, PTE none, and the parent had the page present at fork (vma_needs_copy() false).</summary>
    ForkSkippedPte,
    /// <summary>VMA exists, PTE none for another reason (never touched, evicted, wiped).</summary>
    NotMapped,
    /// <summary>NUMA hint PTE (PROT_NONE) left by task_numa_work().</summary>
    NumaProtNone,
    /// <summary>Swap entry.</summary>
    SwappedOut,
    /// <summary>No VMA at the address.</summary>
    BadAddress,
}

public static class FailureCauseExtensions
{
    /// <summary>The cause's name in results tables; a public contract, do not change.</summary>
    public static string ToKebab(this FailureCause cause) => cause switch
    {
        FailureCause.ForkSkippedPte => "fork-skipped-pte",
        FailureCause.NotMapped => "not-mapped",
        FailureCause.NumaProtNone => "numa-protnone",
        FailureCause.SwappedOut => "swapped-out",
        FailureCause.BadAddress => "bad-address",
        _ => throw new ModelInvariantException($"FailureCause {(int)cause} has no kebab name"),
    };
}
