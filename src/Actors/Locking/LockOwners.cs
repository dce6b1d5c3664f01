namespace ActorKernel.Actors.Locking;

/// <summary>Owner ids of the mmap lock: tasks use their task id; these ranges keep the rest apart.</summary>
public static class LockOwners
{
    /// <summary>Fork handlers (dup_mmap) hold the parent's lock as ForkBase + fork number.</summary>
    public const long ForkBase = 1L << 40;

    /// <summary>Probe programs that fault hold the lock as ProbeBase + CPU index.</summary>
    public const long ProbeBase = 1L << 42;

    public static bool IsProbe(long owner) => owner >= ProbeBase;
}
