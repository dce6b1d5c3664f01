namespace ActorKernel.Model;

/// <summary>Fork-time decisions of mm/memory.c.</summary>
public static class ForkModel
{
    /// <summary>
    /// mm/memory.c vma_needs_copy() (5.19+): copy PTEs only if uffd-wp is armed, the VMA is
    /// VM_PFNMAP/VM_MIXEDMAP, or it has an anon_vma; VM_HUGETLB also before ~6.0 (per profile).
    /// Otherwise the child refaults the pages lazily.
    /// </summary>
    public static bool VmaNeedsCopy(Vma src, KernelProfile k)
    {
        if ((src.Flags & VmaFlags.UffdWp) != 0 && k.UffdWpForcesCopy) return true;
        if ((src.Flags & (VmaFlags.PfnMap | VmaFlags.MixedMap)) != 0) return true;
        if (src.HasAnonVma) return true;
        if ((src.Flags & VmaFlags.Hugetlb) != 0 && k.HugetlbCopiedAtFork) return true;
        return false;
    }
}
