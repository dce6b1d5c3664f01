using ActorKernel.Model.Tests.Image;

namespace ActorKernel.Model.Tests.Numa;

/// <summary>kernel/sched/fair.c task_numa_work(): the walk, its budget, its offset and sequences.</summary>
public sealed class TaskNumaWorkTests
{
    private static readonly NumaBalancingParams Defaults = new();

    private static ProcessImage Image(int threads)
    {
        var image = ImageFixtures.Build();
        image.PopulateTypical();
        image.Mm.MmUsers = threads;
        return image;
    }

    private static TaskNumaWork RunPass(ProcessImage image, MmNumaState state, KernelProfile k, NumaBalancingParams? p = null, long nowNs = 0, int pid = 1)
    {
        var work = new TaskNumaWork(image.Mm, state, p ?? Defaults, k, nowNs, pid, cpuNode: 0, nrThreads: image.Mm.MmUsers);
        while (!work.IsDone) work.Step();
        return work;
    }

    private static int CountProtNone(ProcessImage image, RegionKind r)
    {
        var vma = image.RegionOf(r).Vma;
        return image.Mm.PageTable.Range(vma.StartVpn, vma.EndVpn).Count(e => e.Pte.State == PteState.ProtNone);
    }

    [Fact]
    public void TaskNumaWork_MultiThreaded_HintsAnonPages_NeverTextOrRodata()
    {
        var image = Image(threads: 4);
        var state = new MmNumaState();
        var work = RunPass(image, state, Fixtures.Kernel618);

        Assert.Equal(image.RegionOf(RegionKind.Stack).Pages, CountProtNone(image, RegionKind.Stack));
        Assert.Equal(image.RegionOf(RegionKind.Heap).Pages, CountProtNone(image, RegionKind.Heap));
        Assert.Equal(0, CountProtNone(image, RegionKind.Text));
        Assert.Equal(0, CountProtNone(image, RegionKind.LibcText));
        Assert.Equal(0, CountProtNone(image, RegionKind.Vdso));
        Assert.Contains(work.VmaSkips, s => s.Vma == "prog .text" && s.Reason == NumaVmaSkip.SharedReadOnly);
        Assert.True(work.PtesUpdated > 0);
        Assert.Equal(1, state.ScanSeq); // reached the end: reset_ptenuma_scan()
        Assert.Equal(0UL, state.ScanOffset);
    }

    [Fact]
    public void TaskNumaWork_SingleThreadedOnOneNode_ChangesNothing()
    {
        // 4.10+ change_pte_range(): every page is on the node the single thread runs on.
        var image = Image(threads: 1);
        var work = RunPass(image, new MmNumaState(), Fixtures.Kernel618);
        Assert.Equal(0, work.PtesUpdated);
    }

    [Fact]
    public void TaskNumaWork_BudgetUsedUp_NextPassResumesAtTheOffset()
    {
        // scan_size of 1 MB = 256 pages: the pass stops at a chunk boundary and records the offset.
        var image = Image(threads: 4);
        image.Mm.AddVma(new Vma(0x7000_0000_0000, 0x7000_0000_0000 + 1024UL * Pages.Size, VmaKind.AnonPrivate, VmaProt.Read | VmaProt.Write, "big"));
        for (ulong i = 0; i < 1024; i++) FaultModel.Handle(image.Mm, 0x7000_0000_0000 + i * Pages.Size, AccessKind.Write, FaultOptions.Default);
        var state = new MmNumaState();
        var p = new NumaBalancingParams { ScanSizeMb = 1 };
        var first = RunPass(image, state, Fixtures.Kernel414, p);
        Assert.Equal(0, state.ScanSeq);
        Assert.NotEqual(0UL, state.ScanOffset);
        var offset = state.ScanOffset;
        var second = new TaskNumaWork(image.Mm, state, p, Fixtures.Kernel414, 0, 1, 0, 4);
        var chunk = second.Step();
        Assert.True(chunk.StartAddr >= offset);
        Assert.True(first.PtesUpdated > 0);
    }

    [Fact]
    public void TaskNumaWork_ChunksEndOn2MiBBoundariesOrTheVmaEnd()
    {
        var image = Image(threads: 4);
        var work = new TaskNumaWork(image.Mm, new MmNumaState(), Defaults, Fixtures.Kernel414, 0, 1, 0, 4);
        while (!work.IsDone)
        {
            var c = work.Step();
            if (c.VmaName.Length == 0) continue;
            var vma = image.Mm.Vmas.Single(v => v.Name == c.VmaName);
            Assert.True(c.EndAddr == vma.EndAddr || c.EndAddr % NumaScanRules.ChunkAlignBytes == 0);
        }
    }

    [Fact]
    public void TaskNumaWork_PidFilter_UntouchedVmaNotRescannedAfterTwoSequences()
    {
        // 6.4+ vma_is_accessed(): the first two sequences are unconditional; then only VMAs the
        // scanning task hint-faulted (or left unscanned longer than it has threads) are scanned.
        var image = Image(threads: 4);
        var state = new MmNumaState();
        long now = 0;
        var scanned = new List<int>();
        for (int pass = 0; pass < 4; pass++)
        {
            // Restore every hint PTE of the heap as if the task touched it without a hint fault.
            var work = RunPass(image, state, Fixtures.Kernel618, nowNs: now, pid: 1);
            scanned.Add(work.VmaSkips.Count(s => s.Vma == "[heap]") == 0 ? 1 : 0);
            var heap = image.RegionOf(RegionKind.Heap).Vma;
            for (var vpn = heap.StartVpn; vpn < heap.EndVpn; vpn++)
                image.Mm.SetPte(vpn, image.Mm.GetPte(vpn) with { State = PteState.Present });
            now += 2_000 * SimTime.NsPerMs;
        }
        Assert.Equal(new[] { 1, 1, 0, 0 }, scanned);
    }

    [Fact]
    public void TaskNumaWork_PidFilter_NewVmaWaitsScanDelayOnceTheMmHasASequence()
    {
        var image = Image(threads: 4);
        var state = new MmNumaState();
        RunPass(image, state, Fixtures.Kernel618, nowNs: 0);
        image.Mm.AddVma(new Vma(0x7000_0000_0000, 0x7000_0000_0000 + 4UL * Pages.Size, VmaKind.AnonPrivate, VmaProt.Read | VmaProt.Write, "new"));
        var work = RunPass(image, state, Fixtures.Kernel618, nowNs: 10 * SimTime.NsPerMs);
        Assert.Contains(work.VmaSkips, s => s.Vma == "new" && s.Reason == NumaVmaSkip.ScanDelay);
    }
}
