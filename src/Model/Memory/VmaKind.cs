namespace ActorKernel.Model;

/// <summary>What backs a VMA.</summary>
public enum VmaKind
{
    /// <summary>MAP_PRIVATE file mapping (program/library segments).</summary>
    FilePrivate,
    /// <summary>MAP_SHARED file mapping.</summary>
    FileShared,
    /// <summary>MAP_PRIVATE|MAP_ANONYMOUS (bss, heap, mmap'd anon).</summary>
    AnonPrivate,
    /// <summary>MAP_SHARED|MAP_ANONYMOUS: shmem; never gets an anon_vma.</summary>
    AnonShared,
    /// <summary>The main thread stack (VM_GROWSDOWN private anon).</summary>
    Stack,
    /// <summary>The vDSO special mapping (no anon_vma, not copied at fork).</summary>
    Vdso,
}

/// <summary>VMA protection (PROT_*).</summary>
[Flags]
public enum VmaProt
{
    None = 0,
    Read = 1,
    Write = 2,
    Exec = 4,
}

/// <summary>The vm_flags the model needs (include/linux/mm.h).</summary>
[Flags]
public enum VmaFlags
{
    None = 0,
    /// <summary>VM_DONTCOPY (MADV_DONTFORK): the child gets no VMA.</summary>
    DontCopy = 1,
    /// <summary>VM_WIPEONFORK (MADV_WIPEONFORK, 4.14+): the child gets an empty VMA.</summary>
    WipeOnFork = 2,
    /// <summary>VM_HUGETLB.</summary>
    Hugetlb = 4,
    /// <summary>VM_PFNMAP.</summary>
    PfnMap = 8,
    /// <summary>VM_MIXEDMAP.</summary>
    MixedMap = 16,
    /// <summary>userfaultfd write-protect armed (VM_UFFD_WP).</summary>
    UffdWp = 32,
}
