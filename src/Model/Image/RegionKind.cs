namespace ActorKernel.Model;

/// <summary>The named regions of a process image.</summary>
public enum RegionKind
{
    Text,
    Rodata,
    /// <summary>PT_GNU_RELRO (.data.rel.ro, GOT): written by ld.so, then mprotect'ed read-only.</summary>
    Relro,
    Data,
    Bss,
    Heap,
    Stack,
    LibcText,
    LibcRodata,
    LibcData,
    Vdso,
    /// <summary>A shared library's text (ProcessImage.AddLibrary): a helper .so of the program's own.</summary>
    LibText,
    /// <summary>That library's read-only data: literals of its own, in a VMA with its own fault-around windows.</summary>
    LibRodata,
}

/// <summary>One region of a <see cref="ProcessImage"/>, backed by exactly one VMA.</summary>
public sealed record Region(RegionKind Kind, ulong StartAddr, int Pages, Vma Vma)
{
    public ulong EndAddr => StartAddr + (ulong)Pages * (ulong)global::ActorKernel.Model.Pages.Size;

    /// <summary>Address of byte <paramref name="offset"/> of page <paramref name="pageIndex"/> of the region.</summary>
    public ulong Addr(int pageIndex, int offset = 0)
    {
        ModelInvariantException.Check(pageIndex >= 0 && pageIndex < Pages && offset >= 0 && offset < global::ActorKernel.Model.Pages.Size,
            $"{Kind}: page {pageIndex} offset {offset} outside {Pages} pages");
        return StartAddr + (ulong)pageIndex * (ulong)global::ActorKernel.Model.Pages.Size + (ulong)offset;
    }
}

/// <summary>Bytes a workload placed in the image (a string or pointer array), so a probe knows their length.</summary>
/// <param name="Addr">First byte.</param>
/// <param name="LengthBytes">Length including the terminating NUL or NULL pointer.</param>
/// <param name="Region">Region it lies in.</param>
/// <param name="Text">The string (without NUL), or null for a pointer array.</param>
/// <param name="Pointers">The pointers (without the NULL), or null for a string.</param>
public sealed record Placement(ulong Addr, int LengthBytes, RegionKind Region, string? Text, IReadOnlyList<ulong>? Pointers);
