namespace ActorKernel.Model;

/// <summary>The lock a policy takes before it resolves a fault in place (kernel-model.md §3, §5).</summary>
public enum ProbeLocking
{
    /// <summary>None: the read runs under pagefault_disable() and any fault fails.</summary>
    None,

    /// <summary>mmap_read_trylock() (kernel/locking/rwsem.c down_read_trylock()): fails when a writer holds or waits for the lock.</summary>
    MmapTrylock,

    /// <summary>lock_vma_under_rcu() → vma_start_read() (mm/memory.c, 6.4+): fails while that VMA is write-locked.</summary>
    VmaTrylock,

    /// <summary>mmap_read_lock() (down_read()): waits for writers; only a program that may sleep can do it.</summary>
    MmapBlocking,
}

/// <summary>The faults a policy resolves in place, holding its lock (mm/memory.c handle_mm_fault()).</summary>
public enum InPlaceFaults
{
    /// <summary>None: every fault fails with -EFAULT.</summary>
    None,

    /// <summary>Minor faults (page cached, PTE missing; NUMA hint); anonymous first touch only with probe.allow-alloc.</summary>
    Minor,

    /// <summary>Minor and major faults (I/O, swap-in) and allocation: needs a context that may sleep.</summary>
    MinorAndMajor,
}

/// <summary>Where a policy reads.</summary>
public enum ProbeReadPoint
{
    /// <summary>At the attach point, from the caller's memory as it is then.</summary>
    AtEntry,

    /// <summary>At the attach point's later point (sched_process_exec for execve), from what the kernel copied; the entry only remembers the call.</summary>
    Deferred,
}

/// <summary>The results figures that only some policies produce (beside reads, failures and latencies, which all do).</summary>
[Flags]
public enum PolicyFigures
{
    None = 0,

    /// <summary>staleReads / deferredReads: deferred reads whose bytes differ from those at the entry point.</summary>
    StaleReads = 1,

    /// <summary>trylockAttempts / trylockFailures of the mmap lock.</summary>
    MmapTrylocks = 2,

    /// <summary>vmaReadAttempts / vmaReadFailures of the per-VMA locks.</summary>
    VmaLocks = 4,

    /// <summary>The delay imposed on the workload: writers waiting while the probe held the lock, tasks stopped while it faulted.</summary>
    WorkloadDelay = 8,
}
