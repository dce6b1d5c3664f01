namespace ActorKernel.Model.Tests;

/// <summary>Small hand-built address spaces and profiles for unit tests.</summary>
internal static class Fixtures
{
    public static readonly KernelProfile Kernel618 = new()
    {
        Name = "6.18",
        UffdWpForcesCopy = true,
        ForkWriteLocksVmas = true,
        NumaScanTrylock = true,
        NumaSkipLocalSingleThreaded = true,
        NumaSkipSharedCow = NumaSharedCowSkip.MappedShared,
        NumaSkipDirtyFile = true,
        NumaVmaPidFilter = true,
        NumaVmaPidsForced = true,
        NumaVmaSeqThreadsRule = true,
        PerVmaLocks = true,
        VmaLockAnonVma = VmaLockAnonVmaRule.MmapTrylock,
        VmaWriterShutsOutReaders = VmaWriterShutsOutReaders.AtOnce,
        RwsemWriterSpinsOnReaders = true,
        SleepableFentry = true,
    };

    public static readonly KernelProfile Kernel68 = Kernel618 with
    {
        Name = "6.8",
        NumaVmaSeqThreadsRule = false,
        NumaSkipSharedCow = NumaSharedCowSkip.RefCount,
        VmaLockAnonVma = VmaLockAnonVmaRule.Fallback,
        VmaWriterShutsOutReaders = VmaWriterShutsOutReaders.OnceQueued,
    };

    public static readonly KernelProfile Kernel414 = new()
    {
        Name = "4.14",
        HugetlbCopiedAtFork = true,
        NumaScanTrylock = true,
        NumaSkipLocalSingleThreaded = true,
    };

    /// <summary>64 KiB aligned so a 16-page window starts at the VMA start.</summary>
    public const ulong Base = 0x5555_5556_0000;

    public static ulong Addr(ulong vmaStart, int page, int offset = 0) => vmaStart + (ulong)page * Pages.Size + (ulong)offset;

    public static Vma FileVma(ulong start, int pages, FileObject file, VmaKind kind = VmaKind.FilePrivate,
        VmaProt prot = VmaProt.Read, long filePageOffset = 0, string name = "file", VmaFlags flags = VmaFlags.None) =>
        new(start, start + (ulong)pages * Pages.Size, kind, prot, name, file, filePageOffset, flags);

    public static Vma AnonVma(ulong start, int pages, VmaKind kind = VmaKind.AnonPrivate,
        VmaProt prot = VmaProt.Read | VmaProt.Write, string name = "anon", VmaFlags flags = VmaFlags.None) =>
        new(start, start + (ulong)pages * Pages.Size, kind, prot, name, flags: flags);

    public static FaultOutcome Read(AddressSpace mm, ulong addr) => FaultModel.Handle(mm, addr, AccessKind.Read, FaultOptions.Default);

    public static FaultOutcome Write(AddressSpace mm, ulong addr) => FaultModel.Handle(mm, addr, AccessKind.Write, FaultOptions.Default);

    public static AddressSpace Fork(AddressSpace parent, KernelProfile? k = null, int childId = 99) =>
        DupMmap.Begin(parent, childId, k ?? Kernel618).RunToCompletion();
}
