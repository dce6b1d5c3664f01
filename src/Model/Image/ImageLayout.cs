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

    /// <summary>
    /// Where libc is loaded: this many pages above <see cref="ProcessImage.LibcBase"/>, 0 to
    /// <see cref="MaxLibcLoadOffsetPages"/>. ASLR (mm/util.c arch_mmap_rnd()) randomises the mmap base by the
    /// page, so libc's place within every fault-around window is uniform over the window's pages per process;
    /// a draw over 512 pages is uniform modulo every window up to 2 MiB, the largest (see
    /// <see cref="LibcLoadOffsetRandom"/> and <see cref="ForProcess"/>).
    /// </summary>
    public int LibcLoadOffsetPages { get; init; }

    /// <summary>Whether each process draws <see cref="LibcLoadOffsetPages"/> (ASLR), rather than every process using the one given.</summary>
    public bool LibcLoadOffsetRandom { get; init; }

    /// <summary>
    /// Pages from the shell literals' page of libc's .rodata (<see cref="GlibcSystem.ShellLiteralsRodataPage"/>) to
    /// sigall_set's, which glibc's posix_spawn() makes the kernel read (<see cref="GlibcPosixSpawn"/>): a property of the
    /// libc build, 10 in Debian 12's glibc 2.36.
    /// </summary>
    public int LibcSigallSetDistancePages { get; init; } = GlibcPosixSpawn.DebianSigallSetDistancePages;

    /// <summary>Pages from the shell literals' page to the jump table popen()'s caller reads before it spawns (<see cref="GlibcPosixSpawn.DebianPopenModeTableDistancePages"/>).</summary>
    public int LibcPopenModeTableDistancePages { get; init; } = GlibcPosixSpawn.DebianPopenModeTableDistancePages;

    /// <summary>Pages from the shell literals' page to the jump table popen()'s child reads before its exec (<see cref="GlibcPosixSpawn.DebianFileActionsTableDistancePages"/>).</summary>
    public int LibcFileActionsTableDistancePages { get; init; } = GlibcPosixSpawn.DebianFileActionsTableDistancePages;

    /// <summary>The largest <see cref="LibcLoadOffsetPages"/>: one less than the pages of a 2 MiB window (mm/memory.c caps fault_around_bytes at PTRS_PER_PTE pages).</summary>
    public const int MaxLibcLoadOffsetPages = 511;

    /// <summary>
    /// The layout of one process: with <see cref="LibcLoadOffsetRandom"/>, libc's load offset drawn by
    /// <paramref name="drawBelow"/> (uniform in [0, n)), as ASLR picks one per exec; otherwise this layout.
    /// </summary>
    public ImageLayout ForProcess(Func<int, int> drawBelow) =>
        LibcLoadOffsetRandom ? this with { LibcLoadOffsetPages = drawBelow(MaxLibcLoadOffsetPages + 1), LibcLoadOffsetRandom = false } : this;

    /// <summary>Pages of the helper library file the layout maps.</summary>
    public int LibFilePages => LibTextPages + LibRodataPages;

    /// <summary>Pages of the program file the layout maps (text, rodata, relro, data).</summary>
    public int ProgFilePages => TextPages + RodataPages + RelroPages + DataPages;

    /// <summary>Pages of the libc file the layout maps.</summary>
    public int LibcFilePages => LibcTextPages + LibcRodataPages + LibcDataPages;
}
