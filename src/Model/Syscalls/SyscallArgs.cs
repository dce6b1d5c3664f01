namespace ActorKernel.Model;

/// <summary>A user pointer argument of a syscall, named by what the probe reads there (results' byTarget key).</summary>
public sealed record SyscallPointer(string Target, ulong Addr, int LengthBytes)
{
    /// <summary>A NUL-terminated string argument (a path), read with the string helper unless probe.read-size = fixed.</summary>
    public bool IsString { get; init; }
}

/// <summary>
/// The arguments of a probed syscall as its sys_enter tracepoint sees them: the pointers the probe
/// reads, and which of them the kernel copies in (copy_from_user / getname) after the tracepoint.
/// </summary>
public sealed record SyscallArgs(IReadOnlyList<SyscallPointer> ProbeReads, IReadOnlyList<SyscallPointer> KernelCopies)
{
    /// <summary>The probe reads each pointer in <see cref="ProbeReads"/> in order; no deferred read (no syscall-exit point in this model).</summary>
    public ProbeReadPlan ReadPlan() => new(ProbeReads.Select(p => new PlannedRead(p.Target, p.Addr, p.LengthBytes) { IsString = p.IsString }).ToArray());
}
