using CsCheck;

namespace ActorKernel.Model.Tests.Properties;

/// <summary>
/// Bounds of a file read fault with fault-around (mm/memory.c do_read_fault() → do_fault_around() →
/// mm/filemap.c filemap_map_pages(), 6.8), as docs/kernel-model.md §2.2 states the model: on random
/// file mappings, page-cache states and fault_around_bytes, one read fault changes only PTEs inside
/// its VMA, inside its PTE table (2 MiB), inside the fault_around_bytes-aligned window around the
/// address, never more than the window's pages, and exactly the none PTEs of cached pages without
/// PG_readahead there, plus the faulting page. Same-file VMAs on both sides must stay untouched.
/// </summary>
public class FaultAroundProperties
{
    /// <summary>One generated case.</summary>
    /// <param name="StartPage">Where the VMA starts, in pages past a 2 MiB boundary (so windows are often cut by the VMA).</param>
    /// <param name="Pages">VMA length (up to past one PTE table).</param>
    /// <param name="WindowShift">fault_around_bytes = 4 KiB &lt;&lt; WindowShift (0: no fault-around; 9: 2 MiB).</param>
    /// <param name="FaultPage">The faulting page, as an index into the VMA (taken modulo its length).</param>
    /// <param name="Shared">MAP_SHARED rather than MAP_PRIVATE.</param>
    /// <param name="Cache">Page-cache state of each file page from the left neighbour's start (taken modulo).</param>
    /// <param name="Mapped">Pages of the VMA already mapped (indices taken modulo its length).</param>
    public sealed record Case(int StartPage, int Pages, int WindowShift, int FaultPage, bool Shared, PageCacheState[] Cache, int[] Mapped)
    {
        public override string ToString() =>
            $"start +{StartPage}p, {Pages}p {(Shared ? "shared" : "private")}, window {1 << WindowShift}p, fault at {FaultPage % Pages}, " +
            $"cache {string.Concat(Cache.Select(c => c switch { PageCacheState.Cached => 'C', PageCacheState.NotCached => '.', _ => 'R' }))}, mapped [{string.Join(',', Mapped)}]";
    }

    private static readonly Gen<Case> GenCase =
        Gen.Select(Gen.Int[0, 600], Gen.Int[1, 700], Gen.Int[0, 9], Gen.Int[0, 10_000], Gen.Bool,
                Gen.Frequency((5, Gen.Const(PageCacheState.Cached)), (2, Gen.Const(PageCacheState.NotCached)), (1, Gen.Const(PageCacheState.ReadaheadMarker))).Array[1, 64],
                Gen.Int[0, 10_000].Array[0, 12])
            .Select((s, p, w, f, sh, c, m) => new Case(s, p, w, f, sh, c, m));

    private const int NeighbourPages = 600;

    [Fact]
    public void ReadFault_MapsExactlyTheCachedNonePtesOfItsWindow_AndNothingOutside()
    {
        // So the property cannot pass by mapping nothing around, or never meeting a clipped window.
        int mappedAround = 0, clipped = 0;
        GenCase.Sample(c =>
        {
            var pmdBase = Fixtures.Base & ~((ulong)Pages.PtrsPerPte * Pages.Size - 1);
            var start = pmdBase + (ulong)(NeighbourPages + c.StartPage) * Pages.Size;
            var file = new FileObject("/lib/x.so", NeighbourPages + c.Pages + NeighbourPages);
            for (int p = 0; p < file.Pages; p++) file.SetCacheState(p, c.Cache[p % c.Cache.Length]);
            var kind = c.Shared ? VmaKind.FileShared : VmaKind.FilePrivate;
            var mm = new AddressSpace(1);
            var left = new Vma(start - NeighbourPages * (ulong)Pages.Size, start, kind, VmaProt.Read, "left", file, 0);
            var vma = new Vma(start, start + (ulong)c.Pages * Pages.Size, kind, VmaProt.Read, "vma", file, NeighbourPages);
            var right = new Vma(vma.EndAddr, vma.EndAddr + NeighbourPages * (ulong)Pages.Size, kind, VmaProt.Read, "right", file, NeighbourPages + c.Pages);
            mm.AddVma(left);
            mm.AddVma(vma);
            mm.AddVma(right);
            var faultVpn = vma.StartVpn + (ulong)(c.FaultPage % c.Pages);
            foreach (var m in c.Mapped.Select(m => vma.StartVpn + (ulong)(m % c.Pages)).Where(v => v != faultVpn))
            {
                // A mapped page is in the page cache.
                if (!file.IsCached(vma.FilePageOf(m))) file.SetCacheState(vma.FilePageOf(m), PageCacheState.Cached);
                mm.SetPte(m, Pte.FilePageCache(vma.FilePageOf(m), writable: false));
            }
            var before = Snapshot(mm);
            var cacheBefore = Enumerable.Range(0, file.Pages).Select(p => file.CacheState(p)).ToArray();
            int faultAroundBytes = Pages.Size << c.WindowShift;

            var outcome = FaultModel.Handle(mm, Pages.AddrOf(faultVpn), AccessKind.Read, FaultOptions.Default with { FaultAroundBytes = faultAroundBytes });

            // The reference: do_fault_around() (mm/memory.c, 6.8.0) runs when the window is more than one
            // page; from_pte = max(ALIGN_DOWN(pte_off, nr_pages), the VMA start), to_pte = min3(from_pte +
            // nr_pages, the PTE table's end, the VMA's end): a window cut by the VMA start starts there and
            // still spans nr_pages. filemap_map_pages() maps none PTEs of uptodate pages without
            // PG_readahead; then the faulting page if still unmapped.
            ulong window = (ulong)faultAroundBytes / Pages.Size;
            ulong alignedStart = faultVpn & ~(window - 1);
            ulong pmdStart = faultVpn & ~(ulong)(Pages.PtrsPerPte - 1);
            ulong windowStart = Math.Max(alignedStart, Math.Max(vma.StartVpn, pmdStart));
            ulong windowEnd = Math.Min(windowStart + window, Math.Min(pmdStart + Pages.PtrsPerPte, vma.EndVpn));
            var expectedAround = new List<ulong>();
            if (window > 1)
            {
                for (ulong v = windowStart; v < windowEnd; v++)
                {
                    if (!before.ContainsKey(v) && cacheBefore[vma.FilePageOf(v)] == PageCacheState.Cached) expectedAround.Add(v);
                }
            }
            var expected = expectedAround.Append(faultVpn).Distinct().Order().ToList();

            var after = Snapshot(mm);
            var changed = after.Keys.Where(v => !before.TryGetValue(v, out var old) || old != after[v]).Order().ToList();
            Assert.True(before.Keys.All(after.ContainsKey), "a fault removed a PTE");
            Assert.All(changed, v =>
            {
                Assert.True(vma.ContainsVpn(v), $"vpn {v:x} outside the VMA [{vma.StartVpn:x}, {vma.EndVpn:x})");
                Assert.True(v >> 9 == faultVpn >> 9, $"vpn {v:x} outside the fault's PTE table");
                Assert.True(v == faultVpn || (v >= windowStart && v < windowEnd), $"vpn {v:x} outside the window [{windowStart:x}, {windowEnd:x})");
                Assert.Equal(Pte.FilePageCache(vma.FilePageOf(v), writable: false), after[v]);
            });
            Assert.True(outcome.FaultAroundPages <= (int)window && (window > 1 || outcome.FaultAroundPages == 0),
                $"{outcome.FaultAroundPages} pages mapped around with a {window}-page window");
            Assert.Equal(expected, changed);
            Assert.Equal(FaultKind.FileRead, outcome.Class.Kind);
            Assert.Equal(expectedAround.Count, outcome.FaultAroundPages);
            Assert.Equal(changed.Count, outcome.PagesMapped);
            Assert.Equal(cacheBefore[vma.FilePageOf(faultVpn)] == PageCacheState.NotCached, outcome.Major);
            mappedAround += outcome.FaultAroundPages;
            if (window > 1 && (alignedStart < vma.StartVpn || alignedStart + window > vma.EndVpn)) clipped++;
        }, iter: 400, threads: 1);
        Assert.True(mappedAround > 0 && clipped > 0, $"{mappedAround} pages mapped around, {clipped} windows cut by the VMA: the generator has gone soft");
    }

    private static Dictionary<ulong, Pte> Snapshot(AddressSpace mm) =>
        mm.Vmas.SelectMany(v => mm.PageTable.Range(v.StartVpn, v.EndVpn)).ToDictionary(p => p.Vpn, p => p.Pte);
}
