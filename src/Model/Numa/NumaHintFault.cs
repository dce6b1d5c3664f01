namespace ActorKernel.Model;

/// <summary>What do_numa_page() decided for one hint fault, before the PTE is restored.</summary>
/// <param name="MigrateToNode">Node to migrate the page to, or -1.</param>
/// <param name="Local">TNF_FAULT_LOCAL: the page was on the faulting CPU's node.</param>
/// <param name="Private">The previous hinting task was this one (or none): a private fault.</param>
public readonly record struct NumaHintDecision(int MigrateToNode, bool Local, bool Private);

/// <summary>mm/memory.c do_numa_page() → numa_migrate_check() → mpol_misplaced() → should_numa_migrate_memory().</summary>
public static class NumaHintFault
{
    /// <summary>
    /// Records the access (vma_set_access_pid_bit, 6.4+; folio_xchg_last_cpupid) and decides:
    /// local pages stay; a remote page migrates to the faulting CPU's node unless the previous
    /// hint fault on it came from another node (the two-stage filter of
    /// should_numa_migrate_memory()). Single node: never migrates.
    /// </summary>
    public static NumaHintDecision Decide(MmNumaState state, Vma vma, ulong vpn, Pte pte, int taskId, int cpuNode, KernelProfile k)
    {
        ModelInvariantException.Check(pte.State == PteState.ProtNone, $"do_numa_page at vpn {vpn:x}: PTE is {pte.State}, not PROT_NONE");
        if (k.NumaVmaPidFilter && state.Numab(vma) is { } numab)
            numab.PidsActive1 |= 1UL << VmaNumabState.PidBit(taskId);
        var last = state.XchgLastCpupid(vpn, new CpuPid(taskId, cpuNode));
        bool priv = last is null || last.Value.TaskId == taskId;
        bool local = pte.HomeNode == cpuNode;
        if (local) return new NumaHintDecision(-1, true, priv);
        bool migrate = last is null || last.Value.Node == cpuNode;
        return new NumaHintDecision(migrate ? cpuNode : -1, false, priv);
    }
}
