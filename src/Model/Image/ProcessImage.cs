using System.Text;

namespace ActorKernel.Model;

/// <summary>
/// An x86-64 PIE process image (fs/binfmt_elf.c load_elf_binary() + ld.so) as VMAs of one
/// <see cref="AddressSpace"/>, with helpers to place data and to populate the page tables the
/// way a process that has run would have them.
/// </summary>
public sealed class ProcessImage
{
    /// <summary>ELF_ET_DYN_BASE without ASLR: where a PIE is loaded.</summary>
    public const ulong ProgBase = 0x5555_5555_4000;

    /// <summary>Where glibc lands without ASLR (mmap_base below the stack gap); ImageLayout.LibcLoadOffsetPages moves it up, as ASLR would.</summary>
    public const ulong LibcBase = 0x7fff_f7d8_0000;

    /// <summary>Where <see cref="AddLibrary"/> maps a helper library: below libc, as ld.so maps a program's libraries in turn below it.</summary>
    public const ulong LibraryBase = 0x7fff_f7a0_0000;

    /// <summary>One past the top of the main thread stack.</summary>
    public const ulong StackTop = 0x7fff_ffff_f000;

    private readonly Dictionary<RegionKind, Region> _regionByKind = new();
    private readonly List<Region> _regions = new();
    private readonly SortedList<ulong, Placement> _placements = new();

    private readonly ulong _regionAlignBytes;

    private ProcessImage(AddressSpace mm, FileObject progFile, FileObject libcFile, ulong regionAlignBytes)
    {
        _regionAlignBytes = regionAlignBytes;
        Mm = mm;
        ProgFile = progFile;
        LibcFile = libcFile;
    }

    public AddressSpace Mm { get; }
    public FileObject ProgFile { get; }
    public FileObject LibcFile { get; }

    /// <summary>Regions in address order (zero-page regions are omitted).</summary>
    public IReadOnlyList<Region> Regions => _regions;

    /// <summary>Placed strings and pointer arrays, in address order.</summary>
    public IReadOnlyList<Placement> Placements => _placements.Values.ToArray();

    public bool HasRegion(RegionKind kind) => _regionByKind.ContainsKey(kind);

    public Region RegionOf(RegionKind kind) =>
        _regionByKind.TryGetValue(kind, out var r) ? r : throw new ModelInvariantException($"image mm {Mm.Id}: no {kind} region");

    /// <summary>
    /// Lays out the program (text r-x, rodata r--, relro r--, data rw- from <paramref name="progFile"/>,
    /// then bss and heap), libc (text, rodata, data), the vDSO and the stack, each region starting at
    /// the next multiple of <see cref="ImageLayout.RegionAlignBytes"/> (a page, as the PT_LOAD segments
    /// of a binary linked with -z separate-code are, by default). Relro and both
    /// data segments start with an anon_vma: ld.so wrote them (relocations) before mprotect.
    /// </summary>
    public static ProcessImage Build(int mmId, ImageLayout layout, FileObject progFile, FileObject libcFile)
    {
        ModelInvariantException.Check(layout.TextPages > 0 && layout.StackPages > 0, "image: text and stack need pages");
        ModelInvariantException.Check(progFile.Pages >= layout.ProgFilePages,
            $"image: {progFile.Name} has {progFile.Pages} pages, layout needs {layout.ProgFilePages}");
        ModelInvariantException.Check(libcFile.Pages >= layout.LibcFilePages,
            $"image: {libcFile.Name} has {libcFile.Pages} pages, layout needs {layout.LibcFilePages}");

        ModelInvariantException.Check(layout.LibcLoadOffsetPages is >= 0 and <= ImageLayout.MaxLibcLoadOffsetPages,
            $"image: libc load offset {layout.LibcLoadOffsetPages} pages is outside 0..{ImageLayout.MaxLibcLoadOffsetPages}");
        ModelInvariantException.Check(layout.RegionAlignBytes >= Pages.Size && (layout.RegionAlignBytes & (layout.RegionAlignBytes - 1)) == 0,
            $"image: region alignment {layout.RegionAlignBytes} is not a power of two of at least a page");
        var image = new ProcessImage(new AddressSpace(mmId), progFile, libcFile, (ulong)layout.RegionAlignBytes);
        const VmaProt rx = VmaProt.Read | VmaProt.Exec;
        const VmaProt rw = VmaProt.Read | VmaProt.Write;

        ulong cursor = ProgBase;
        long filePage = 0;
        cursor = image.AddFile(RegionKind.Text, cursor, layout.TextPages, progFile, ref filePage, rx, "prog .text", false);
        cursor = image.AddFile(RegionKind.Rodata, cursor, layout.RodataPages, progFile, ref filePage, VmaProt.Read, "prog .rodata", false);
        cursor = image.AddFile(RegionKind.Relro, cursor, layout.RelroPages, progFile, ref filePage, VmaProt.Read, "prog .data.rel.ro", true);
        cursor = image.AddFile(RegionKind.Data, cursor, layout.DataPages, progFile, ref filePage, rw, "prog .data", true);
        cursor = image.AddAnon(RegionKind.Bss, cursor, layout.BssPages, VmaKind.AnonPrivate, rw, "prog .bss");
        image.AddAnon(RegionKind.Heap, cursor, layout.HeapPages, VmaKind.AnonPrivate, rw, "[heap]");

        cursor = LibcBase + (ulong)layout.LibcLoadOffsetPages * Pages.Size;
        filePage = 0;
        cursor = image.AddFile(RegionKind.LibcText, cursor, layout.LibcTextPages, libcFile, ref filePage, rx, "libc .text", false);
        cursor = image.AddFile(RegionKind.LibcRodata, cursor, layout.LibcRodataPages, libcFile, ref filePage, VmaProt.Read, "libc .rodata", false);
        cursor = image.AddFile(RegionKind.LibcData, cursor, layout.LibcDataPages, libcFile, ref filePage, rw, "libc .data", true);
        image.AddAnon(RegionKind.Vdso, cursor, layout.VdsoPages, VmaKind.Vdso, rx, "[vdso]");

        image.AddAnon(RegionKind.Stack, StackTop - (ulong)layout.StackPages * Pages.Size, layout.StackPages,
            VmaKind.Stack, rw, "[stack]", align: false);
        return image;
    }

    /// <summary>
    /// Maps a shared library the program links besides libc, as ld.so does (elf/dl-load.c
    /// _dl_map_segments()): its text r-x and its read-only data r-- from <paramref name="libFile"/>,
    /// each a private file VMA with no anon_vma (nothing writes them), so fork copies none of their
    /// PTEs (kernel-model.md §1.2). The pages the library's code runs are read.
    /// </summary>
    public void AddLibrary(FileObject libFile, ImageLayout layout)
    {
        ModelInvariantException.Check(!HasRegion(RegionKind.LibRodata), $"image mm {Mm.Id}: library mapped twice");
        ModelInvariantException.Check(libFile.Pages >= layout.LibFilePages,
            $"image: {libFile.Name} has {libFile.Pages} pages, layout needs {layout.LibFilePages}");
        long filePage = 0;
        var cursor = AddFile(RegionKind.LibText, LibraryBase, layout.LibTextPages, libFile, ref filePage, VmaProt.Read | VmaProt.Exec, "lib .text", false);
        cursor = AddFile(RegionKind.LibRodata, cursor, layout.LibRodataPages, libFile, ref filePage, VmaProt.Read, "lib .rodata", false);
        ModelInvariantException.Check(cursor <= LibcBase, $"image: the library's {layout.LibFilePages} pages run into libc at {LibcBase:x}");
        ForEachPage(RegionKind.LibText, addr => TouchRead(addr));
    }

    /// <summary>
    /// Places a NUL-terminated string; returns its address. It must not cross a page boundary
    /// unless <paramref name="allowCrossPage"/> (a probe read of it then walks two pages).
    /// </summary>
    public ulong PlaceString(RegionKind r, int pageIndex, int offsetInPage, string text, bool allowCrossPage = false)
    {
        int length = Encoding.UTF8.GetByteCount(text) + 1;
        return Place(r, pageIndex, offsetInPage, length, allowCrossPage, text, null);
    }

    /// <summary>Places a NULL-terminated array of 8-byte pointers (argv/envp style); returns its address.</summary>
    public ulong PlacePointerArray(RegionKind r, int pageIndex, int offset, IReadOnlyList<ulong> pointers, bool allowCrossPage = false) =>
        Place(r, pageIndex, offset, (pointers.Count + 1) * sizeof(ulong), allowCrossPage, null, pointers.ToArray());

    /// <summary>The placement starting at <paramref name="addr"/>.</summary>
    public Placement PlacementAt(ulong addr) =>
        _placements.TryGetValue(addr, out var p) ? p : throw new ModelInvariantException($"image mm {Mm.Id}: nothing placed at {addr:x}");

    /// <summary>A read by the task itself: handle_mm_fault() with fault-around.</summary>
    public FaultOutcome TouchRead(ulong addr, FaultOptions? o = null) => Touch(addr, AccessKind.Read, o);

    /// <summary>A write by the task itself.</summary>
    public FaultOutcome TouchWrite(ulong addr, FaultOptions? o = null) => Touch(addr, AccessKind.Write, o);

    /// <summary>
    /// The page tables of a process that has run: every page of data, bss, heap, stack and
    /// libc data written; relro holds ld.so's read-only anon copies; every program and libc
    /// text page and the vDSO read. Rodata is left alone: workloads decide what was read.
    /// </summary>
    public void PopulateTypical()
    {
        foreach (var kind in new[] { RegionKind.Text, RegionKind.LibcText, RegionKind.Vdso })
            ForEachPage(kind, addr => TouchRead(addr));
        if (HasRegion(RegionKind.Relro))
        {
            var relro = RegionOf(RegionKind.Relro);
            for (ulong vpn = relro.Vma.StartVpn; vpn < relro.Vma.EndVpn; vpn++)
                Mm.SetPte(vpn, Pte.Anon(writable: false));
        }
        foreach (var kind in new[] { RegionKind.Data, RegionKind.Bss, RegionKind.Heap, RegionKind.Stack, RegionKind.LibcData })
            ForEachPage(kind, addr => TouchWrite(addr));
    }

    private void ForEachPage(RegionKind kind, Action<ulong> touch)
    {
        if (!HasRegion(kind)) return;
        var region = RegionOf(kind);
        for (int i = 0; i < region.Pages; i++) touch(region.Addr(i));
    }

    private FaultOutcome Touch(ulong addr, AccessKind a, FaultOptions? o)
    {
        var outcome = FaultModel.Handle(Mm, addr, a, o ?? FaultOptions.Default);
        ModelInvariantException.Check(outcome.Class.Kind is not (FaultKind.BadAddress or FaultKind.AccessError),
            $"image mm {Mm.Id}: {a} at {addr:x} is {outcome.Class.Kind}");
        return outcome;
    }

    private ulong Place(RegionKind r, int pageIndex, int offset, int lengthBytes, bool allowCrossPage, string? text, IReadOnlyList<ulong>? pointers)
    {
        var region = RegionOf(r);
        ulong addr = region.Addr(pageIndex, offset);
        ulong end = addr + (ulong)lengthBytes;
        ModelInvariantException.Check(end <= region.EndAddr, $"image: {lengthBytes} bytes at {addr:x} run past {r}");
        ModelInvariantException.Check(allowCrossPage || offset + lengthBytes <= Pages.Size,
            $"image: {lengthBytes} bytes at {r} page {pageIndex}+{offset} cross a page boundary");
        int i = LowerBound(addr);
        ModelInvariantException.Check(i == 0 || _placements.Values[i - 1].Addr + (ulong)_placements.Values[i - 1].LengthBytes <= addr,
            $"image: placement at {addr:x} overlaps the one at {(i > 0 ? _placements.Values[i - 1].Addr : 0):x}");
        ModelInvariantException.Check(i == _placements.Count || end <= _placements.Keys[i],
            $"image: placement at {addr:x} overlaps the one at {(i < _placements.Count ? _placements.Keys[i] : 0):x}");
        _placements.Add(addr, new Placement(addr, lengthBytes, r, text, pointers));
        return addr;
    }

    private int LowerBound(ulong addr)
    {
        var keys = _placements.Keys;
        int lo = 0, hi = keys.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (keys[mid] < addr) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private ulong AddFile(RegionKind kind, ulong cursor, int pages, FileObject file, ref long filePage,
        VmaProt prot, string name, bool hasAnonVma)
    {
        if (pages == 0) return cursor;
        ulong start = AlignUp(cursor);
        var vma = new Vma(start, start + (ulong)pages * Pages.Size, VmaKind.FilePrivate, prot, name, file, filePage,
            hasAnonVma: hasAnonVma);
        filePage += pages;
        return AddRegion(kind, vma);
    }

    private ulong AddAnon(RegionKind kind, ulong cursor, int pages, VmaKind vmaKind, VmaProt prot, string name, bool align = true)
    {
        if (pages == 0) return cursor;
        ulong start = align ? AlignUp(cursor) : cursor;
        return AddRegion(kind, new Vma(start, start + (ulong)pages * Pages.Size, vmaKind, prot, name));
    }

    private ulong AddRegion(RegionKind kind, Vma vma)
    {
        Mm.AddVma(vma);
        var region = new Region(kind, vma.StartAddr, (int)vma.PageCount, vma);
        _regionByKind.Add(kind, region);
        int i = 0;
        while (i < _regions.Count && _regions[i].StartAddr < region.StartAddr) i++;
        _regions.Insert(i, region);
        return vma.EndAddr;
    }

    private ulong AlignUp(ulong addr) => (addr + _regionAlignBytes - 1) & ~(_regionAlignBytes - 1);
}
