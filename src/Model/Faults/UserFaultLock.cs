namespace ActorKernel.Model;

/// <summary>Under which lock a user-mode fault is handled (arch/x86/mm/fault.c do_user_addr_fault(), docs/kernel-model.md §2.4).</summary>
public enum UserFaultLock
{
    /// <summary>lock_mm_and_find_vma(): the mmap_lock for read (the only way before 6.4, and every fallback after).</summary>
    MmapLock,

    /// <summary>lock_vma_under_rcu() → vma_start_read(): the VMA's own lock, if it is not write-locked.</summary>
    VmaLock,

    /// <summary>The VMA lock, then mmap_read_trylock() to prepare the anon_vma (6.18); if that fails, the mmap_lock.</summary>
    VmaLockThenMmapTrylock,
}

/// <summary>
/// Which lock a user-mode access's faults need, before any lock is tried: the version rules of
/// do_user_addr_fault(), lock_vma_under_rcu(), vmf_can_call_fault() and vmf_anon_prepare()
/// (6.8.0 mm/memory.c lines 3074-3097 and 5614-5659; 6.18.2 mm/memory.c lines 3598-3640 and mm/mmap_lock.c 224-270).
/// </summary>
public static class UserFaultPath
{
    /// <summary>
    /// The lock for a user-mode access of <paramref name="lengthBytes"/> at <paramref name="addr"/> that needs a fault.
    /// The model handles one access under one lock, so an access over two VMAs takes the mmap_lock.
    /// </summary>
    public static UserFaultLock Choose(AddressSpace mm, ulong addr, int lengthBytes, AccessKind kind, KernelProfile k)
    {
        // arch/x86/mm/fault.c do_user_addr_fault() (6.8.0 line 1347, 6.18.2 line 1327): only with CONFIG_PER_VMA_LOCK.
        if (!k.PerVmaLocks) return UserFaultLock.MmapLock;
        var vma = mm.FindVma(addr);
        var last = addr + (ulong)lengthBytes - 1;
        if (vma is null || !vma.Contains(last)) return UserFaultLock.MmapLock;
        // vmf_can_call_fault(): a VMA whose vm_ops has no ->map_pages (the vDSO's special mapping) retries under the mmap_lock.
        if (vma.Kind == VmaKind.Vdso) return UserFaultLock.MmapLock;
        // 6.8.0 lock_vma_under_rcu() line 5635: an anonymous VMA without an anon_vma is refused outright.
        if (k.VmaLockAnonVma == VmaLockAnonVmaRule.Fallback && vma.IsAnonPrivate && !vma.HasAnonVma) return UserFaultLock.MmapLock;

        bool needsAnonVma = false;
        for (var vpn = Pages.Vpn(addr); vpn <= Pages.Vpn(last); vpn++)
        {
            var c = FaultModel.Classify(mm, Math.Max(addr, Pages.AddrOf(vpn)), kind);
            if (c.Kind == FaultKind.None) continue;
            // A SIGSEGV case is decided under the mmap_lock in the model (6.8 retries there; 6.18 decides it under the VMA lock, to the same end).
            if (!c.IsResolvable) return UserFaultLock.MmapLock;
            // filemap_fault() drops the VMA lock for the I/O and returns VM_FAULT_RETRY: the retry takes the mmap_lock.
            if (c.Major) return UserFaultLock.MmapLock;
            needsAnonVma |= c.Kind is FaultKind.AnonAlloc or FaultKind.FileWriteCow or FaultKind.Cow;
        }
        if (!needsAnonVma || vma.HasAnonVma) return UserFaultLock.VmaLock;
        return k.VmaLockAnonVma == VmaLockAnonVmaRule.MmapTrylock ? UserFaultLock.VmaLockThenMmapTrylock : UserFaultLock.MmapLock;
    }
}
