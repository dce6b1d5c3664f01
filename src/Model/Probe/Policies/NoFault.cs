namespace ActorKernel.Model;

public sealed partial class ProbePolicy
{
    /// <summary>Today's bpf_probe_read_user() (kernel/trace/bpf_trace.c, copy_from_user_nofault()): pagefault_disable(), so any fault fails with -EFAULT.</summary>
    public static ProbePolicy NoFault { get; } = new()
    {
        Name = "nofault",
        Summary = "today's bpf_probe_read_user(): page faults disabled, any fault fails with -EFAULT",
        Locks = ProbeLocking.None,
        Resolves = InPlaceFaults.None,
        Reads = ProbeReadPoint.AtEntry,
    };
}
