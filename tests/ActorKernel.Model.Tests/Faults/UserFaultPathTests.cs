using static ActorKernel.Model.Tests.Fixtures;

namespace ActorKernel.Model.Tests.Faults;

/// <summary>
/// Which lock a user-mode fault takes: arch/x86/mm/fault.c do_user_addr_fault() (6.8.0 lines 1344-1375, 6.18.2
/// lines 1324-1356: "if (!(flags &amp; FAULT_FLAG_USER)) goto lock_mmap; vma = lock_vma_under_rcu(mm, address);"),
/// mm/memory.c lock_vma_under_rcu() (6.8.0 line 5635), vmf_can_call_fault() and vmf_anon_prepare()
/// (6.8.0 lines 3074-3097), __vmf_anon_prepare() (6.18.2 lines 3623-3640). 4.14.177 __do_page_fault() has only the mmap_lock.
/// </summary>
public sealed class UserFaultPathTests
{
    private static AddressSpace Mm(out Vma rodata, out Vma heap, out Vma data, bool heapHasAnonVma = false)
    {
        var mm = new AddressSpace(1);
        var file = new FileObject("prog", 64);
        rodata = FileVma(Base, 16, file);
        data = FileVma(Base + 0x1_0000, 4, file, prot: VmaProt.Read | VmaProt.Write, filePageOffset: 16, name: "data");
        heap = new Vma(Base + 0x2_0000, Base + 0x2_0000 + 8 * Pages.Size, VmaKind.AnonPrivate, VmaProt.Read | VmaProt.Write, "heap",
            hasAnonVma: heapHasAnonVma);
        mm.AddVma(rodata);
        mm.AddVma(data);
        mm.AddVma(heap);
        return mm;
    }

    [Fact]
    public void Profile414_EveryUserFault_TakesTheMmapLock()
    {
        var mm = Mm(out var rodata, out _, out _);
        Assert.Equal(UserFaultLock.MmapLock, UserFaultPath.Choose(mm, rodata.StartAddr, 8, AccessKind.Read, Kernel414));
    }

    [Fact]
    public void Profile68And618_FileReadFault_TakesTheVmaLock()
    {
        var mm = Mm(out var rodata, out _, out _);
        Assert.Equal(UserFaultLock.VmaLock, UserFaultPath.Choose(mm, rodata.StartAddr, 8, AccessKind.Read, Kernel68));
        Assert.Equal(UserFaultLock.VmaLock, UserFaultPath.Choose(mm, rodata.StartAddr, 8, AccessKind.Read, Kernel618));
    }

    // 6.8.0 lock_vma_under_rcu() line 5635: "if (unlikely(vma_is_anonymous(vma) && !vma->anon_vma)) goto inval_end_read;"
    // 6.18.2 has no such test: a read maps the zero page under the VMA lock; a write trylocks the mmap_lock for the anon_vma.
    [Fact]
    public void AnonVmaWithoutAnonVma_68FallsBack_618ReadsUnderVmaLock_618WriteTrylocksMmap()
    {
        var mm = Mm(out _, out var heap, out _);
        Assert.Equal(UserFaultLock.MmapLock, UserFaultPath.Choose(mm, heap.StartAddr, 8, AccessKind.Read, Kernel68));
        Assert.Equal(UserFaultLock.MmapLock, UserFaultPath.Choose(mm, heap.StartAddr, 8, AccessKind.Write, Kernel68));
        Assert.Equal(UserFaultLock.VmaLock, UserFaultPath.Choose(mm, heap.StartAddr, 8, AccessKind.Read, Kernel618));
        Assert.Equal(UserFaultLock.VmaLockThenMmapTrylock, UserFaultPath.Choose(mm, heap.StartAddr, 8, AccessKind.Write, Kernel618));
    }

    [Fact]
    public void AnonVmaWithAnonVma_WriteFault_TakesTheVmaLock_68And618()
    {
        var mm = Mm(out _, out var heap, out _, heapHasAnonVma: true);
        Assert.Equal(UserFaultLock.VmaLock, UserFaultPath.Choose(mm, heap.StartAddr, 8, AccessKind.Write, Kernel68));
        Assert.Equal(UserFaultLock.VmaLock, UserFaultPath.Choose(mm, heap.StartAddr, 8, AccessKind.Write, Kernel618));
    }

    // do_cow_fault() → vmf_anon_prepare(): a private file write in a VMA without an anon_vma.
    [Fact]
    public void PrivateFileWrite_WithoutAnonVma_68FallsBack_618TrylocksMmap()
    {
        var mm = Mm(out _, out _, out var data);
        Assert.Equal(UserFaultLock.MmapLock, UserFaultPath.Choose(mm, data.StartAddr, 8, AccessKind.Write, Kernel68));
        Assert.Equal(UserFaultLock.VmaLockThenMmapTrylock, UserFaultPath.Choose(mm, data.StartAddr, 8, AccessKind.Write, Kernel618));
        data.HasAnonVma = true;
        Assert.Equal(UserFaultLock.VmaLock, UserFaultPath.Choose(mm, data.StartAddr, 8, AccessKind.Write, Kernel68));
    }

    // filemap_fault() drops the VMA lock for the read and returns VM_FAULT_RETRY; the retry takes the mmap_lock.
    [Fact]
    public void MajorFault_RetriesUnderTheMmapLock()
    {
        var mm = Mm(out var rodata, out _, out _);
        rodata.File!.SetCacheState(3, PageCacheState.NotCached);
        Assert.Equal(UserFaultLock.MmapLock, UserFaultPath.Choose(mm, Addr(rodata.StartAddr, 3), 8, AccessKind.Read, Kernel618));
    }

    // vmf_can_call_fault(): the vDSO's special mapping has no ->map_pages.
    [Fact]
    public void Vdso_RetriesUnderTheMmapLock()
    {
        var mm = new AddressSpace(1);
        var vdso = new Vma(Base, Base + 2 * Pages.Size, VmaKind.Vdso, VmaProt.Read | VmaProt.Exec, "[vdso]");
        mm.AddVma(vdso);
        Assert.Equal(UserFaultLock.MmapLock, UserFaultPath.Choose(mm, Base, 8, AccessKind.Read, Kernel618));
    }

    [Fact]
    public void AccessOverTwoVmas_TakesTheMmapLock()
    {
        var mm = Mm(out var rodata, out _, out _);
        var mm2 = new AddressSpace(2);
        var file = new FileObject("f", 32);
        mm2.AddVma(FileVma(Base, 4, file));
        mm2.AddVma(FileVma(Base + 4 * Pages.Size, 4, file, filePageOffset: 4, name: "next"));
        Assert.Equal(UserFaultLock.MmapLock, UserFaultPath.Choose(mm2, Base + 4 * Pages.Size - 4, 8, AccessKind.Read, Kernel618));
        Assert.Equal(UserFaultLock.VmaLock, UserFaultPath.Choose(mm, rodata.StartAddr, 8, AccessKind.Read, Kernel618));
    }
}
