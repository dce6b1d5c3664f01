namespace ActorKernel.Model;

/// <summary>
/// Where the mmap-churn threads' mmap(2) and munmap(2) land (mm/mmap.c __mmap_region, do_vmi_munmap):
/// anonymous read-write VMAs of <see cref="VmaPages"/> pages laid out upward from
/// <see cref="BaseAddr"/> with a guard page between them, unmapped oldest first; mprotect(2) acts on
/// the oldest too. At most <see cref="MaxVmas"/> are alive: an mmap beyond that only takes the lock.
/// </summary>
public sealed class ChurnArea
{
    /// <summary>Far below the libraries, above the heap.</summary>
    public const ulong BaseAddr = 0x7f00_0000_0000;

    public const int MaxVmas = 256;

    public const int VmaPages = 16;

    public const string VmaName = "churn";

    private readonly Queue<Vma> _vmas = new();
    private ulong _cursorAddr = BaseAddr;

    /// <summary>Churn VMAs alive.</summary>
    public int Count => _vmas.Count;

    /// <summary>The VMA munmap and mprotect act on: the oldest alive, or null.</summary>
    public Vma? Oldest => _vmas.TryPeek(out var v) ? v : null;

    /// <summary>mmap(): a fresh VMA at the cursor, inserted into <paramref name="mm"/>; null when <see cref="MaxVmas"/> are alive.</summary>
    public Vma? Map(AddressSpace mm)
    {
        if (_vmas.Count >= MaxVmas) return null;
        var vma = new Vma(_cursorAddr, _cursorAddr + VmaPages * (ulong)Pages.Size, VmaKind.AnonPrivate, VmaProt.Read | VmaProt.Write, VmaName);
        _cursorAddr = vma.EndAddr + Pages.Size;
        mm.AddVma(vma);
        _vmas.Enqueue(vma);
        return vma;
    }

    /// <summary>munmap() of the oldest churn VMA (its write lock already taken): zapped and unlinked from <paramref name="mm"/>.</summary>
    public Vma UnmapOldest(AddressSpace mm)
    {
        ModelInvariantException.Check(_vmas.Count > 0, $"mm {mm.Id}: munmap of a churn VMA, but none is mapped");
        var vma = _vmas.Dequeue();
        mm.RemoveVma(vma);
        return vma;
    }
}
