namespace ActorKernel.Actors.Probe;

/// <summary>What a probe read does on a missing or PROT_NONE PTE (kernel-model.md §5).</summary>
public enum ProbePolicy
{
    /// <summary>Today's bpf_probe_read_user(): pagefault_disable(), so any fault fails with -EFAULT.</summary>
    NoFault,
}

public static class ProbePolicyNames
{
    public static string ToName(this ProbePolicy p) => p switch
    {
        ProbePolicy.NoFault => "nofault",
        _ => throw new ArgumentOutOfRangeException(nameof(p), p, null),
    };
}
