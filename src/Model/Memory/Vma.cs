namespace ActorKernel.Model;

/// <summary>A struct vm_area_struct: [StartAddr, EndAddr), page aligned.</summary>
public sealed class Vma
{
    public Vma(ulong startAddr, ulong endAddr, VmaKind kind, VmaProt prot, string name,
        FileObject? file = null, long filePageOffset = 0, VmaFlags flags = VmaFlags.None, bool hasAnonVma = false)
    {
        ModelInvariantException.Check(Pages.IsAligned(startAddr) && Pages.IsAligned(endAddr),
            $"VMA {name}: [{startAddr:x}, {endAddr:x}) not page aligned");
        ModelInvariantException.Check(endAddr > startAddr, $"VMA {name}: empty or inverted range");
        bool fileKind = kind is VmaKind.FilePrivate or VmaKind.FileShared;
        ModelInvariantException.Check(fileKind == (file is not null) || kind == VmaKind.Vdso,
            $"VMA {name}: kind {kind} {(fileKind ? "needs" : "must not have")} a file");
        if (file is not null)
        {
            ModelInvariantException.Check(filePageOffset >= 0 && filePageOffset + (long)((endAddr - startAddr) >> Pages.Shift) <= file.Pages,
                $"VMA {name}: file pages [{filePageOffset}, +{(endAddr - startAddr) >> Pages.Shift}) beyond {file.Name} ({file.Pages} pages)");
        }
        ModelInvariantException.Check(!(hasAnonVma && kind is VmaKind.AnonShared or VmaKind.Vdso),
            $"VMA {name}: {kind} never has an anon_vma");
        StartAddr = startAddr;
        EndAddr = endAddr;
        Kind = kind;
        Prot = prot;
        Flags = flags;
        File = file;
        FilePageOffset = filePageOffset;
        HasAnonVma = hasAnonVma;
        Name = name;
    }

    public ulong StartAddr { get; }
    public ulong EndAddr { get; }
    public VmaKind Kind { get; }
    public VmaProt Prot { get; }
    public VmaFlags Flags { get; }
    public FileObject? File { get; }

    /// <summary>vm_pgoff: file page mapped at StartAddr.</summary>
    public long FilePageOffset { get; }

    private bool _hasAnonVma;

    /// <summary>vma->anon_vma != NULL (set by anon_vma_prepare on the first anon page / CoW).</summary>
    public bool HasAnonVma
    {
        get => _hasAnonVma;
        set
        {
            ModelInvariantException.Check(!(value && Kind is VmaKind.AnonShared or VmaKind.Vdso),
                $"VMA {Name}: {Kind} never gets an anon_vma");
            _hasAnonVma = value;
        }
    }

    public string Name { get; }

    public ulong StartVpn => Pages.Vpn(StartAddr);

    /// <summary>One past the last virtual page.</summary>
    public ulong EndVpn => Pages.Vpn(EndAddr);

    public long PageCount => (long)(EndVpn - StartVpn);

    public bool Contains(ulong addr) => addr >= StartAddr && addr < EndAddr;

    public bool ContainsVpn(ulong vpn) => vpn >= StartVpn && vpn < EndVpn;

    public bool IsFileBacked => Kind is VmaKind.FilePrivate or VmaKind.FileShared;

    public bool IsAnonPrivate => Kind is VmaKind.AnonPrivate or VmaKind.Stack;

    /// <summary>VM_SHARED.</summary>
    public bool IsShared => Kind is VmaKind.FileShared or VmaKind.AnonShared;

    /// <summary>include/linux/mm.h is_cow_mapping(): private and may be written.</summary>
    public bool IsCowMapping => !IsShared && Kind != VmaKind.Vdso;

    /// <summary>linear_page_index(): file (or shmem) page backing a virtual page of this VMA.</summary>
    public long FilePageOf(ulong vpn)
    {
        ModelInvariantException.Check(ContainsVpn(vpn), $"VMA {Name}: vpn {vpn:x} outside [{StartVpn:x}, {EndVpn:x})");
        return FilePageOffset + (long)(vpn - StartVpn);
    }

    /// <summary>kernel/fork.c vm_area_dup() for the child; WIPEONFORK drops the anon_vma.</summary>
    internal Vma DupForChild(bool wipe) =>
        new(StartAddr, EndAddr, Kind, Prot, Name, File, FilePageOffset, Flags, hasAnonVma: HasAnonVma && !wipe);

    public override string ToString() => $"{Name} [{StartAddr:x}-{EndAddr:x}) {Kind} {Prot}";
}
