namespace ActorKernel.Model;

/// <summary>
/// What a provenance event records. A new cause or mutation point adds a member here, a hook where
/// the model makes the change, and a sentence in the explainer (Experiments/Explain/ExplainText).
/// </summary>
public enum ProvenanceKind
{
    /// <summary>set_pte_at(): a PTE was installed or changed (old and new state in the event).</summary>
    PteSet,

    /// <summary>pte_clear() / zap_pte_range(): a PTE was removed (munmap, exit_mmap, reclaim).</summary>
    PteCleared,

    /// <summary>copy_page_range() not called for the page's VMA: vma_needs_copy() was false.</summary>
    ForkSkippedPte,

    /// <summary>bpf_probe_read_user() walked the page tables: the first unreadable page, or none.</summary>
    ProbeWalk,

    /// <summary>mmap_read_trylock() failed: the holder and the wait list at that instant.</summary>
    RwsemTrylockFailed,

    /// <summary>A probe read finished (the read the explainer numbers), with its cause when it failed.</summary>
    ProbeReadDone,

    /// <summary>rwsem: a down_read()/down_write() caller joined the wait list (rwsem_down_*_slowpath()).</summary>
    RwsemQueued,

    /// <summary>rwsem: the lock was granted (fast path, or rwsem_mark_wake() handing it to a waiter).</summary>
    RwsemGranted,

    /// <summary>rwsem: up_read()/up_write().</summary>
    RwsemReleased,

    /// <summary>A task started its next operation (fork, exec, touch, syscall, …) or exited (do_exit()).</summary>
    TaskOp,

    /// <summary>handle_mm_fault() resolved a fault of a task's access (or do_numa_page() a NUMA hint fault): the task, the kind, major or minor.</summary>
    FaultHandled,

    /// <summary>A CPU's run queue changed (enqueue_task(), a tick's switch or burst end): the task on the CPU (-1 idle) and nr_running.</summary>
    CpuRunQueue,

    /// <summary>A CPU started (or finished) running the BPF programs attached to a tracepoint, for a task that hit it.</summary>
    CpuBpf,
}
