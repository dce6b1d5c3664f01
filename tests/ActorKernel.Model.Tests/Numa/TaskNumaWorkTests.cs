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
    public void TaskNumaWork_PidFilterWithoutForcedScan_UntouchedVmaNotRescannedAfterTwoSequences()
    {
        // The 6.4-6.6 form (pid filter, no vma_pids_forced, no thread-count rule): the first two
        // sequences are unconditional; then only VMAs the scanning task hint-faulted are scanned.
        var k = Fixtures.Kernel618 with { NumaVmaPidsForced = false, NumaVmaSeqThreadsRule = false };
        var image = Image(threads: 4);
        var state = new MmNumaState();
        long now = 0;
        var scanned = new List<int>();
        for (int pass = 0; pass < 4; pass++)
        {
            var work = RunPass(image, state, k, nowNs: now, pid: 1);
            scanned.Add(work.VmaSkips.Count(s => s.Vma == "[heap]") == 0 ? 1 : 0);
            RestoreAll(image.Mm);
            now += 2_000 * SimTime.NsPerMs;
        }
        Assert.Equal(new[] { 1, 1, 0, 0 }, scanned);
    }

    // Three anonymous VMAs with a page gap between them, every page written, four threads.
    private static (AddressSpace Mm, Vma[] Vmas) ThreeVmas()
    {
        var mm = new AddressSpace(1) { MmUsers = 4 };
        var vmas = new Vma[3];
        for (int i = 0; i < 3; i++)
        {
            var start = 0x7000_0000_0000UL + (ulong)i * 8 * Pages.Size;
            vmas[i] = Fixtures.AnonVma(start, 4, name: "v" + i);
            mm.AddVma(vmas[i]);
            for (int page = 0; page < 4; page++) Fixtures.Write(mm, Fixtures.Addr(start, page));
        }
        return (mm, vmas);
    }

    // The task reads its pages again without a hint fault being recorded: its PID never enters pids_active.
    private static void RestoreAll(AddressSpace mm)
    {
        foreach (var vma in mm.Vmas)
            foreach (var (vpn, pte) in mm.PageTable.Range(vma.StartVpn, vma.EndVpn).ToArray())
                if (pte.State == PteState.ProtNone) mm.SetPte(vpn, pte with { State = PteState.Present });
    }

    private static bool AllProtNone(AddressSpace mm, Vma vma) =>
        mm.PageTable.Range(vma.StartVpn, vma.EndVpn).All(e => e.Pte.State == PteState.ProtNone);

    // kernel/sched/fair.c task_numa_work() (6.8.0 lines 3359 and 3397-3408, 6.18.2 lines 3468 and
    // 3506-3517): "if (!vma && !vma_pids_forced && vma_pids_skipped) { vma_pids_forced = true; goto
    // retry_pids; }" — a pass that reached the end having skipped PID-inactive VMAs walks again from
    // numa_scan_offset, scans the first candidate whatever its PIDs, and stops after that one VMA
    // ("Only force scan within one VMA at a time"), leaving the offset at its end.
    [Theory]
    [InlineData("6.8")]
    [InlineData("6.18")]
    public void TaskNumaWork_PassThatSkippedPidInactiveVmas_ForcesOneOfThem_ThenTheNext(string profile)
    {
        var k = profile == "6.8" ? Fixtures.Kernel68 : Fixtures.Kernel618;
        var (mm, vmas) = ThreeVmas();
        var state = new MmNumaState();
        long now = 0;
        TaskNumaWork Pass()
        {
            var work = new TaskNumaWork(mm, state, Defaults, k, now, 1, cpuNode: 0, nrThreads: 4);
            while (!work.IsDone) work.Step();
            now += 2_000 * SimTime.NsPerMs;
            return work;
        }

        Pass();
        RestoreAll(mm);
        Pass();
        RestoreAll(mm);
        Assert.Equal(2, state.ScanSeq);

        var third = Pass();
        Assert.Equal(new[] { "v0", "v1", "v2" }, third.VmaSkips.Where(s => s.Reason == NumaVmaSkip.PidInactive).Select(s => s.Vma));
        Assert.True(AllProtNone(mm, vmas[0]));
        Assert.False(AllProtNone(mm, vmas[1]) || AllProtNone(mm, vmas[2]));
        Assert.Equal((2, vmas[0].EndAddr), (state.ScanSeq, state.ScanOffset));

        Pass();
        Assert.True(AllProtNone(mm, vmas[1]));
        Assert.False(AllProtNone(mm, vmas[2]));
        Assert.Equal(vmas[1].EndAddr, state.ScanOffset);
    }

    [Fact]
    public void TaskNumaWork_OnceTheLastVmaWasForced_TheNextSequenceForcesTheFirstAgain()
    {
        // The forced VMAs advance numa_scan_offset one by one; past the last, reset_ptenuma_scan()
        // starts a new sequence and the first PID-inactive VMA is forced again (6.8.0).
        var (mm, vmas) = ThreeVmas();
        var state = new MmNumaState();
        long now = 0;
        for (int pass = 0; pass < 5; pass++)
        {
            var work = new TaskNumaWork(mm, state, Defaults, Fixtures.Kernel68, now, 1, cpuNode: 0, nrThreads: 4);
            while (!work.IsDone) work.Step();
            RestoreAll(mm);
            now += 2_000 * SimTime.NsPerMs;
        }
        Assert.Equal((2, vmas[2].EndAddr), (state.ScanSeq, state.ScanOffset));

        var sixth = new TaskNumaWork(mm, state, Defaults, Fixtures.Kernel68, now, 1, cpuNode: 0, nrThreads: 4);
        while (!sixth.IsDone) sixth.Step();
        Assert.Equal(3, state.ScanSeq);
        Assert.True(AllProtNone(mm, vmas[0]));
        Assert.Equal(vmas[0].EndAddr, state.ScanOffset);
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
