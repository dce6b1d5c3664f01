namespace ActorKernel.Model;

/// <summary>Page counts of a process image's regions. Defaults resemble a small C program on glibc.</summary>
public sealed record ImageLayout
{
    public int TextPages { get; init; } = 16;
    public int RodataPages { get; init; } = 16;
    public int RelroPages { get; init; } = 2;
    public int DataPages { get; init; } = 2;
    public int BssPages { get; init; } = 4;
    public int HeapPages { get; init; } = 33;
    public int StackPages { get; init; } = 33;
    public int LibcTextPages { get; init; } = 384;
    public int LibcRodataPages { get; init; } = 96;
    public int LibcDataPages { get; init; } = 8;
    public int VdsoPages { get; init; } = 2;

    /// <summary>
    /// Where regions start: the next multiple of this after the previous region (a power of two, at least a page).
    /// A page, as real ELF segments are: fs/binfmt_elf.c maps each PT_LOAD at its page-aligned p_vaddr, so a
    /// segment need not start on a fault-around window (docs/kernel-model.md §2.2).
    /// </summary>
    public int RegionAlignBytes { get; init; } = Pages.Size;
    /// <summary>Text pages of the helper library <see cref="ProcessImage.AddLibrary"/> maps (only workloads that use it do).</summary>
    public int LibTextPages { get; init; } = 16;

    /// <summary>Read-only data pages of the helper library.</summary>
    public int LibRodataPages { get; init; } = 48;

    /// <summary>Pages of the helper library file the layout maps.</summary>
    public int LibFilePages => LibTextPages + LibRodataPages;

    /// <summary>Pages of the program file the layout maps (text, rodata, relro, data).</summary>
    public int ProgFilePages => TextPages + RodataPages + RelroPages + DataPages;

    /// <summary>Pages of the libc file the layout maps.</summary>
    public int LibcFilePages => LibcTextPages + LibcRodataPages + LibcDataPages;
}
