using CsCheck;

namespace ActorKernel.Model.Tests.Properties;

/// <summary>
/// The page table after <see cref="DupMmap"/> against a reference written from kernel/fork.c
/// dup_mmap() and mm/memory.c copy_page_range() / vma_needs_copy() (6.8; before 5.19 the same test
/// sat in copy_page_range() with VM_HUGETLB in it, and uffd-wp forces a copy from 5.14): on random
/// address spaces, the child holds exactly the PTEs vma_needs_copy() says, write-protected in both
/// mms where copy_present_pte() does so, and nothing else; the parent loses no PTE.
/// </summary>
public class DupMmapProperties
{
    /// <summary>One generated VMA: its shape, and its PTEs as (page index, state, writable) triples.</summary>
    public sealed record VmaSpec(VmaKind Kind, VmaProt Prot, VmaFlags Flags, bool AnonVma, int Pages, int GapPages, (int Page, PteState State, bool Writable)[] Ptes)
    {
        public override string ToString() =>
            $"{Kind} {Prot} [{Flags}]{(AnonVma ? " anon_vma" : "")} {Pages}p +{GapPages}: {string.Join(' ', Ptes.Select(p => $"{p.Page}{p.State.ToString()[0]}{(p.Writable ? "w" : "")}"))}";
    }

    private static readonly Gen<VmaSpec> GenVma =
        Gen.Select(Gen.Enum<VmaKind>(), Gen.Int[0, 7], Gen.Int[0, 63], Gen.Bool, Gen.Int[1, 40], Gen.Int[0, 600])
        .SelectMany(v => Gen.Select(Gen.Int[0, v.Item5 - 1], Gen.OneOf(PteState.Present, PteState.ProtNone, PteState.Swapped), Gen.Bool)
            .Array[0, v.Item5]
            .Select(ptes => new VmaSpec(v.Item1, (VmaProt)v.Item2, (VmaFlags)v.Item3,
                v.Item4 && v.Item1 is not (VmaKind.AnonShared or VmaKind.Vdso), v.Item5, v.Item6, ptes)));

    private static readonly KernelProfile[] Profiles = [Fixtures.Kernel414, Fixtures.Kernel68, Fixtures.Kernel618];

    [Fact]
    public void Child_HoldsExactlyThePtesVmaNeedsCopySays() =>
        Gen.Select(GenVma.Array[1, 6], Gen.Int[0, Profiles.Length - 1]).Sample((vmas, profile) =>
        {
            var k = Profiles[profile];
            var (parent, _) = Build(vmas);
            var before = Snapshot(parent);
            var child = DupMmap.Begin(parent, 99, k).RunToCompletion();

            var expectedChild = new Dictionary<ulong, Pte>();
            var expectedParent = new Dictionary<ulong, Pte>(before);
            var expectedSkipped = new HashSet<ulong>();
            var expectedVmas = new List<string>();
            foreach (var vma in parent.Vmas)
            {
                var flags = vma.Flags;
                if ((flags & VmaFlags.DontCopy) != 0) continue;
                expectedVmas.Add(vma.Name);
                if ((flags & VmaFlags.WipeOnFork) != 0) continue;
                var ptes = before.Where(p => vma.ContainsVpn(p.Key)).ToList();
                if (!ReferenceNeedsCopy(vma, k))
                {
                    foreach (var (vpn, pte) in ptes.Where(p => p.Value.State is PteState.Present or PteState.ProtNone)) expectedSkipped.Add(vpn);
                    continue;
                }
                foreach (var (vpn, pte) in ptes)
                {
                    // copy_present_pte(): is_cow_mapping() && pte_write() → ptep_set_wrprotect() + pte_wrprotect().
                    bool wrprotect = pte.State is PteState.Present or PteState.ProtNone && vma.IsCowMapping && pte.Writable;
                    var copied = wrprotect ? pte with { Writable = false } : pte;
                    // copy_present_pte() then pte_mkold() on the child's copy only; copy_nonpresent_pte()
                    // (swap entries) leaves the entry as it is.
                    bool present = pte.State is PteState.Present or PteState.ProtNone;
                    expectedChild[vpn] = present ? copied with { Old = true } : copied;
                    expectedParent[vpn] = copied;
                }
            }

            Assert.Equal(expectedVmas, child.Vmas.Select(v => v.Name));
            Assert.Equal(Sorted(expectedChild), Sorted(Snapshot(child)));
            Assert.Equal(expectedChild.Count, child.PageTable.PopulatedCount);
            Assert.Equal(Sorted(expectedParent), Sorted(Snapshot(parent)));
            Assert.Equal(expectedSkipped.Order(), child.ForkSkippedPages.Order());
            Assert.All(child.Vmas.Where(v => (v.Flags & VmaFlags.WipeOnFork) != 0), v => Assert.False(v.HasAnonVma));
        }, iter: 300, threads: 1, print: t => $"{Profiles[t.Item2].Name}: {string.Join(" | ", t.Item1.Select(v => v.ToString()))}");

    // mm/memory.c vma_needs_copy() (6.8): userfaultfd_wp(dst_vma), VM_PFNMAP | VM_MIXEDMAP, or an
    // anon_vma; 4.14 copy_page_range(): !(VM_HUGETLB | VM_PFNMAP | VM_MIXEDMAP) && !anon_vma → skip.
    private static bool ReferenceNeedsCopy(Vma vma, KernelProfile k) =>
        (k.UffdWpForcesCopy && (vma.Flags & VmaFlags.UffdWp) != 0)
        || (vma.Flags & (VmaFlags.PfnMap | VmaFlags.MixedMap)) != 0
        || vma.HasAnonVma
        || (k.HugetlbCopiedAtFork && (vma.Flags & VmaFlags.Hugetlb) != 0);

    private static (AddressSpace Mm, FileObject File) Build(VmaSpec[] specs)
    {
        var file = new FileObject("/lib/x.so", specs.Sum(s => s.Pages));
        var mm = new AddressSpace(1);
        ulong at = Fixtures.Base;
        long filePage = 0;
        int i = 0;
        foreach (var s in specs)
        {
            bool fileKind = s.Kind is VmaKind.FilePrivate or VmaKind.FileShared;
            var vma = new Vma(at, at + (ulong)s.Pages * Pages.Size, s.Kind, s.Prot, $"vma{i++}",
                fileKind ? file : null, fileKind ? filePage : 0, s.Flags, s.AnonVma);
            mm.AddVma(vma);
            foreach (var (page, state, writable) in s.Ptes)
            {
                var vpn = vma.StartVpn + (ulong)page;
                // Swap entries are anonymous only; file pages are dropped, not swapped.
                var pte = state == PteState.Swapped || !fileKind
                    ? Pte.Anon(writable) with { State = state }
                    : Pte.FilePageCache(vma.FilePageOf(vpn), writable) with { State = state };
                mm.SetPte(vpn, pte);
            }
            if (fileKind) filePage += s.Pages;
            at = vma.EndAddr + (ulong)s.GapPages * Pages.Size;
        }
        return (mm, file);
    }

    private static Dictionary<ulong, Pte> Snapshot(AddressSpace mm) =>
        mm.Vmas.SelectMany(v => mm.PageTable.Range(v.StartVpn, v.EndVpn)).ToDictionary(p => p.Vpn, p => p.Pte);

    private static List<(ulong, Pte)> Sorted(Dictionary<ulong, Pte> ptes) => ptes.OrderBy(p => p.Key).Select(p => (p.Key, p.Value)).ToList();
}
