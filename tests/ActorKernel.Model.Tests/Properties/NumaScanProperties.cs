using CsCheck;

namespace ActorKernel.Model.Tests.Properties;

/// <summary>
/// <see cref="TaskNumaWork"/> over random address spaces and several passes, against the VMA
/// eligibility test of kernel/sched/fair.c task_numa_work() (6.8): !vma_migratable() (VM_IO |
/// VM_PFNMAP), is_vm_hugetlb_page(), VM_MIXEDMAP, a file mapping whose VM_READ|VM_WRITE is just
/// VM_READ, and !vma_is_accessible() are passed over. A PTE of such a VMA never becomes PROT_NONE;
/// every PTE that does was a present, non-zero-page PTE of an eligible VMA, inside the chunk that
/// reported it, and changes nothing but its state; chunks end on 2 MiB or at the VMA end.
/// </summary>
public class NumaScanProperties
{
    /// <summary>One generated VMA: kind, protection, the flags that matter to the scanner, and which of its pages are present.</summary>
    public sealed record VmaSpec(VmaKind Kind, VmaProt Prot, VmaFlags Flags, int Pages, int GapPages, int[] Present, bool ZeroPages)
    {
        public override string ToString() => $"{Kind} {Prot} [{Flags}] {Pages}p +{GapPages}, {Present.Length} present{(ZeroPages ? " (zero pages)" : "")}";
    }

    private static readonly Gen<VmaSpec> GenVma =
        Gen.Select(Gen.Enum<VmaKind>(), Gen.Int[0, 7],
                Gen.Frequency((6, Gen.Const(VmaFlags.None)), (1, Gen.Const(VmaFlags.PfnMap)), (1, Gen.Const(VmaFlags.Hugetlb)), (1, Gen.Const(VmaFlags.MixedMap))),
                Gen.Int[1, 900], Gen.Int[0, 700], Gen.Bool)
            .SelectMany(v => Gen.Int[0, v.Item4 - 1].Array[0, 120]
                .Select(present => new VmaSpec(v.Item1, (VmaProt)v.Item2, v.Item3, v.Item4, v.Item5, present, v.Item6)));

    private static readonly KernelProfile[] Profiles = [Fixtures.Kernel414, Fixtures.Kernel68, Fixtures.Kernel618];

    [Fact]
    public void Scanner_NeverMarksAnIneligibleVma()
    {
        // So the property cannot pass by never scanning: some PTEs must be marked, some VMAs passed over.
        int marked = 0, ineligibleSkipped = 0;
        Gen.Select(GenVma.Array[1, 8], Gen.Int[0, Profiles.Length - 1], Gen.Int[1, 5000], Gen.Int[1, 4], Gen.Int[0, 1]).Sample((specs, profile, pid, threads, node) =>
        {
            var k = Profiles[profile];
            var mm = Build(specs);
            var state = new MmNumaState();
            // A small scan_size (1 MB = 256 pages) so passes end part-way and resume at numa_scan_offset.
            var p = new NumaBalancingParams { ScanSizeMb = 1, ScanDelayMs = 1000 };
            for (int pass = 0; pass < 4; pass++)
            {
                var work = new TaskNumaWork(mm, state, p, k, SimTime.MsToNs(1500L * pass), pid, node, threads);
                while (!work.IsDone)
                {
                    var before = Snapshot(mm);
                    var chunk = work.Step();
                    var changed = Snapshot(mm).Where(e => before[e.Key] != e.Value).ToList();
                    Assert.Equal(chunk.PtesUpdated, changed.Count);
                    marked += changed.Count;
                    foreach (var (vpn, pte) in changed)
                    {
                        var vma = mm.FindVma(Pages.AddrOf(vpn))!;
                        var old = before[vpn];
                        Assert.True(ReferenceIneligible(vma) is null, $"pass {pass}: PTE {vpn:x} of ineligible VMA {vma} ({ReferenceIneligible(vma)}) marked");
                        Assert.Equal(vma.Name, chunk.VmaName);
                        Assert.True(Pages.AddrOf(vpn) >= chunk.StartAddr && Pages.AddrOf(vpn) < chunk.EndAddr, $"PTE {vpn:x} outside chunk [{chunk.StartAddr:x}, {chunk.EndAddr:x})");
                        Assert.Equal(old with { State = PteState.ProtNone }, pte);
                        Assert.True(old.State == PteState.Present && !old.IsZeroPage, $"PTE {vpn:x} was {old}");
                    }
                    if (chunk.VmaName.Length > 0)
                    {
                        var vma = mm.Vmas.Single(v => v.Name == chunk.VmaName);
                        Assert.True(ReferenceIneligible(vma) is null, $"chunk walked ineligible VMA {vma}");
                        Assert.True(chunk.StartAddr >= vma.StartAddr && chunk.EndAddr <= vma.EndAddr && chunk.StartAddr < chunk.EndAddr,
                            $"chunk [{chunk.StartAddr:x}, {chunk.EndAddr:x}) not inside {vma}");
                        Assert.True(chunk.EndAddr == vma.EndAddr || chunk.EndAddr % NumaScanRules.ChunkAlignBytes == 0, $"chunk end {chunk.EndAddr:x} not on 2 MiB");
                    }
                }
                foreach (var (name, reason) in work.VmaSkips)
                {
                    var expected = ReferenceIneligible(mm.Vmas.Single(v => v.Name == name));
                    if (expected is null) continue;
                    Assert.Equal(expected, reason);
                    ineligibleSkipped++;
                }
                // Hint faults in between: the task touches every marked page again.
                foreach (var (vpn, pte) in Snapshot(mm).Where(e => e.Value.State == PteState.ProtNone))
                    mm.SetPte(vpn, pte with { State = PteState.Present });
            }
        }, iter: 100, threads: 1, print: t => $"{Profiles[t.Item2].Name}, pid {t.Item3}, {t.Item4} threads, node {t.Item5}: {string.Join(" | ", t.Item1.Select(v => v.ToString()))}");
        Assert.True(marked > 0 && ineligibleSkipped > 0, $"{marked} PTEs marked, {ineligibleSkipped} ineligible VMAs passed over: the generator has gone soft");
    }

    // task_numa_work() (6.8), in its order; the names are trace_sched_skip_vma_numa's reasons.
    private static NumaVmaSkip? ReferenceIneligible(Vma vma)
    {
        if ((vma.Flags & VmaFlags.PfnMap) != 0) return NumaVmaSkip.NotMigratable;
        if ((vma.Flags & VmaFlags.Hugetlb) != 0) return NumaVmaSkip.Hugetlb;
        if ((vma.Flags & VmaFlags.MixedMap) != 0) return NumaVmaSkip.MixedMap;
        // vm_file: file mappings and shmem; (vm_flags & (VM_READ | VM_WRITE)) == VM_READ.
        bool vmFile = vma.Kind is VmaKind.FilePrivate or VmaKind.FileShared or VmaKind.AnonShared;
        if (vmFile && (vma.Prot & VmaProt.Read) != 0 && (vma.Prot & VmaProt.Write) == 0) return NumaVmaSkip.SharedReadOnly;
        if ((vma.Prot & (VmaProt.Read | VmaProt.Write | VmaProt.Exec)) == 0) return NumaVmaSkip.Inaccessible;
        return null;
    }

    private static AddressSpace Build(VmaSpec[] specs)
    {
        var file = new FileObject("/data", specs.Sum(s => s.Pages));
        var mm = new AddressSpace(1);
        ulong at = Fixtures.Base;
        long filePage = 0;
        int i = 0;
        foreach (var s in specs)
        {
            bool fileKind = s.Kind is VmaKind.FilePrivate or VmaKind.FileShared;
            var vma = new Vma(at, at + (ulong)s.Pages * Pages.Size, s.Kind, s.Prot, $"vma{i++}", fileKind ? file : null, fileKind ? filePage : 0, s.Flags);
            mm.AddVma(vma);
            foreach (var page in s.Present.Distinct())
            {
                var vpn = vma.StartVpn + (ulong)page;
                var pte = fileKind ? Pte.FilePageCache(vma.FilePageOf(vpn), writable: (s.Prot & VmaProt.Write) != 0, homeNode: page % 2)
                    : s.ZeroPages && vma.IsAnonPrivate ? Pte.ZeroPage
                    : Pte.Anon((s.Prot & VmaProt.Write) != 0, homeNode: page % 2);
                mm.SetPte(vpn, pte);
            }
            if (fileKind) filePage += s.Pages;
            at = vma.EndAddr + (ulong)s.GapPages * Pages.Size;
        }
        return mm;
    }

    private static Dictionary<ulong, Pte> Snapshot(AddressSpace mm) =>
        mm.Vmas.SelectMany(v => mm.PageTable.Range(v.StartVpn, v.EndVpn)).ToDictionary(p => p.Vpn, p => p.Pte);
}
