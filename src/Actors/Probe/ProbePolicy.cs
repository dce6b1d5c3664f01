namespace ActorKernel.Actors.Probe;

/// <summary>What a probe read does on a missing or PROT_NONE PTE (kernel-model.md §5).</summary>
public enum ProbePolicy
{
    /// <summary>Today's bpf_probe_read_user(): pagefault_disable(), so any fault fails with -EFAULT.</summary>
    NoFault,
    /// <summary>The seed's proposal: on a missing/PROT_NONE PTE, mmap_read_trylock(); contended → fail; major → fail;
    /// anonymous first touch → fail unless probe.allow-alloc; else resolve the minor fault in place holding the read lock.</summary>
    TrylockMinor,
    /// <summary>As <see cref="TrylockMinor"/> with the per-VMA lock (vma_start_read()): fails while that VMA is write-locked.</summary>
    TrylockVma,
    /// <summary>A full fault in a sleepable program: waits for the mmap lock and for I/O; never fails on valid memory.</summary>
    Sleepable,
    /// <summary>Read at the matching exit point (sched_process_exec, from the new mm's argument area).</summary>
    Deferred,
}

public static class ProbePolicyNames
{
    public static string ToName(this ProbePolicy p) => p switch
    {
        ProbePolicy.NoFault => "nofault",
        ProbePolicy.TrylockMinor => "trylock-minor",
        ProbePolicy.TrylockVma => "trylock-vma",
        ProbePolicy.Sleepable => "sleepable",
        ProbePolicy.Deferred => "deferred",
        _ => throw new ArgumentOutOfRangeException(nameof(p), p, null),
    };
}
