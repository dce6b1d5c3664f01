namespace ActorKernel.Actors.Configuration;

/// <summary>
/// <c>actor-kernel.workload.mmap-churn</c>: threads that take the mmap lock for write at a
/// steady rate (mmap, munmap, mprotect, brk, and fork's dup_mmap), the contention a
/// faulting probe policy meets (kernel-model.md §3, §4).
/// </summary>
public sealed record MmapChurnSettings
{
    public required bool Enabled { get; init; }

    /// <summary>Which process the churn threads live in (and so whose mmap lock they write-lock).</summary>
    public required ChurnProcess Process { get; init; }

    public required int Threads { get; init; }

    /// <summary>Operations per second of virtual time, over all churn threads; 0 = the threads only exist.</summary>
    public required long OpsPerS { get; init; }

    public required ChurnMix Mix { get; init; }

    public required ChurnHoldNs HoldNs { get; init; }
}

/// <summary>Relative weights of the operations a churn thread draws.</summary>
public sealed record ChurnMix(int Mmap, int Munmap, int Mprotect, int Brk, int Fork)
{
    public int Total => Mmap + Munmap + Mprotect + Brk + Fork;
}

/// <summary>How long each operation holds the mmap lock for write, in virtual ns (fork's hold is dup_mmap's, from costs.fork-*).</summary>
public sealed record ChurnHoldNs(long Mmap, long Munmap, long Mprotect, long Brk);

/// <summary>Where the churn threads run.</summary>
public enum ChurnProcess
{
    /// <summary>As extra threads of the fork-exec parent: they share the mm that vfork/posix_spawn children exec from.</summary>
    ForkExecParent,
    /// <summary>In a process of their own: their lock is not the one any traced read needs (a control).</summary>
    Own,
}
