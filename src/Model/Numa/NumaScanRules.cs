namespace ActorKernel.Model;

/// <summary>The skip rules of automatic NUMA balancing (docs/kernel-model.md §1), as pure functions.</summary>
public static class NumaScanRules
{
    /// <summary>HPAGE_SIZE: task_numa_work() ends each chunk on a 2 MiB boundary.</summary>
    public const ulong ChunkAlignBytes = 2UL << 20;

    /// <summary>
    /// kernel/sched/fair.c task_numa_work(): the VMA checks made before any per-VMA (6.4+) state,
    /// the same in every profile. Null when the VMA may be scanned.
    /// </summary>
    public static NumaVmaSkip? StaticVmaSkip(Vma vma)
    {
        // vma_migratable(): VM_IO | VM_PFNMAP cannot migrate.
        if ((vma.Flags & VmaFlags.PfnMap) != 0) return NumaVmaSkip.NotMigratable;
        if ((vma.Flags & VmaFlags.Hugetlb) != 0) return NumaVmaSkip.Hugetlb;
        if ((vma.Flags & VmaFlags.MixedMap) != 0) return NumaVmaSkip.MixedMap;
        // "Shared library pages mapped by multiple processes are not migrated": vm_file and
        // (vm_flags & (VM_READ|VM_WRITE)) == VM_READ — r-- and r-x file mappings. shmem has a vm_file too.
        bool hasFile = vma.IsFileBacked || vma.Kind == VmaKind.AnonShared;
        if (hasFile && (vma.Prot & (VmaProt.Read | VmaProt.Write)) == VmaProt.Read) return NumaVmaSkip.SharedReadOnly;
        // vma_is_accessible(): VM_ACCESS_FLAGS (read, write or exec).
        if (vma.Prot == VmaProt.None) return NumaVmaSkip.Inaccessible;
        return null;
    }

    /// <summary>
    /// kernel/sched/fair.c vma_is_accessed() (6.8.0 lines 3160-3186): the first two sequences after
    /// the VMA was met are unconditional; then the scanning task's PID bit or a scan already past
    /// the VMA start; with <see cref="KernelProfile.NumaVmaSeqThreadsRule"/> (6.11+, 6.18.2 line
    /// 3275) also a VMA left unscanned for more sequences than the process has threads.
    /// </summary>
    public static bool VmaIsAccessed(MmNumaState mm, Vma vma, VmaNumabState numab, int scanningTaskPid, int nrThreads, KernelProfile k)
    {
        if (mm.ScanSeq - numab.StartScanSeq < 2) return true;
        var pids = numab.PidsActive0 | numab.PidsActive1;
        if ((pids & (1UL << VmaNumabState.PidBit(scanningTaskPid))) != 0) return true;
        if (mm.ScanOffset > vma.StartAddr) return true;
        return k.NumaVmaSeqThreadsRule && mm.ScanSeq > numab.PrevScanSeq + nrThreads;
    }

    /// <summary>
    /// mm/mprotect.c change_pte_range() with MM_CP_PROT_NUMA (6.18: prot_numa_skip()): why this PTE
    /// is left alone, or null when it becomes PROT_NONE. <paramref name="targetNode"/> is the node of
    /// a single-threaded task's CPU (4.10+ local skip), or -1. The shared-CoW and dirty-file skips
    /// follow <paramref name="k"/>.
    /// </summary>
    public static NumaPageSkip? PageSkip(Vma vma, Pte pte, int targetNode, KernelProfile k)
    {
        if (pte.State == PteState.ProtNone) return NumaPageSkip.AlreadyProtNone;
        if (pte.State != PteState.Present) return NumaPageSkip.NotPresent;
        if (pte.IsZeroPage) return NumaPageSkip.ZeroPage;
        if (IsSharedCow(vma, pte, k.NumaSkipSharedCow)) return NumaPageSkip.SharedCow;
        // folio_is_file_lru() && folio_test_dirty(): a writable PTE of a shared file mapping (write-notify).
        if (k.NumaSkipDirtyFile && vma.Kind == VmaKind.FileShared && pte.Writable) return NumaPageSkip.DirtyFile;
        if (targetNode >= 0 && pte.HomeNode == targetNode) return NumaPageSkip.LocalSingleThreaded;
        return null;
    }

    // The vDSO is VM_MAYWRITE without VM_SHARED, so a CoW mapping to the kernel; its pages are the
    // kernel's (extra references) and mapped by every process. A private file page not yet copied
    // is a page-cache folio: its reference count is never 1, and it is mapped shared when another
    // mm maps it. Anonymous pages shared after fork are not tracked (docs/numa.md).
    private static bool IsSharedCow(Vma vma, Pte pte, NumaSharedCowSkip form) => form switch
    {
        NumaSharedCowSkip.None => false,
        NumaSharedCowSkip.RefCount => vma.Kind == VmaKind.Vdso || (vma.IsCowMapping && pte.MapsFilePage),
        NumaSharedCowSkip.MappedShared => vma.Kind == VmaKind.Vdso ||
            (vma.IsCowMapping && pte.MapsFilePage && vma.File is { } f && f.MapCount(pte.FilePage) > 1),
        _ => throw new ArgumentOutOfRangeException(nameof(form), form, null),
    };

    /// <summary>
    /// mm/mprotect.c change_prot_numa() over [startVpn, endVpn) of <paramref name="vma"/>: present
    /// PTEs not skipped become PROT_NONE. Returns the PTEs changed (nr_pte_updates).
    /// </summary>
    public static int ChangeProtNuma(AddressSpace mm, Vma vma, ulong startVpn, ulong endVpn, int targetNode, KernelProfile k)
    {
        ModelInvariantException.Check(startVpn >= vma.StartVpn && endVpn <= vma.EndVpn && startVpn <= endVpn,
            $"change_prot_numa [{startVpn:x}, {endVpn:x}) outside {vma}");
        int changed = 0;
        var table = mm.PageTable;
        for (var vpn = table.NextPopulated(startVpn, endVpn, out var pte); vpn < endVpn; vpn = table.NextPopulated(vpn + 1, endVpn, out pte))
        {
            if (PageSkip(vma, pte, targetNode, k) is not null) continue;
            mm.SetPte(vpn, pte with { State = PteState.ProtNone });
            changed++;
        }
        return changed;
    }

    /// <summary>
    /// The node whose pages a pass leaves alone (change_prot_numa's target_node): the scanning
    /// CPU's node when the mm has one user and the VMA is private (4.10+), else -1.
    /// </summary>
    public static int TargetNode(AddressSpace mm, Vma vma, int cpuNode, KernelProfile k) =>
        k.NumaSkipLocalSingleThreaded && mm.MmUsers == 1 && !vma.IsShared ? cpuNode : -1;
}
