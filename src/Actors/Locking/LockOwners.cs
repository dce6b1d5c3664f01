namespace ActorKernel.Actors.Locking;

/// <summary>
/// Owner ids of an mmap_lock, the one home of their ranges: a task holds the lock as its task id
/// (below 2^40); the other holders have ranges of their own so that no two can collide.
/// </summary>
public static class LockOwners
{
    private const long ForkHandlerBase = 1L << 40;
    private const long NumaScannerBase = 1L << 41;

    /// <summary>Probe programs that fault hold the lock as ProbeBase + CPU index.</summary>
    public const long ProbeBase = 1L << 42;

    /// <summary>The fork handler of fork number <paramref name="fork"/> (dup_mmap holds the parent's lock for write).</summary>
    public static long ForkHandler(long fork) => ForkHandlerBase + fork;

    /// <summary>The NUMA scanner of mm <paramref name="mmId"/> (task_numa_work holds it for read).</summary>
    public static long NumaScanner(int mmId) => NumaScannerBase + mmId;

    public static bool IsProbe(long owner) => owner >= ProbeBase;

    /// <summary>The holder in words: "task 3", "fork handler of fork 2 (dup_mmap)", "NUMA scanner of mm 1 (task_numa_work)", "probe on CPU 0".</summary>
    public static string Describe(long owner) => owner switch
    {
        >= ProbeBase => $"probe on CPU {owner - ProbeBase}",
        >= NumaScannerBase => $"NUMA scanner of mm {owner - NumaScannerBase} (task_numa_work)",
        >= ForkHandlerBase => $"fork handler of fork {owner - ForkHandlerBase} (dup_mmap)",
        _ => $"task {owner}",
    };
}
