using ActorKernel.Actors.Metrics;
using Akka.Actor;

namespace ActorKernel.Actors.Tests.Scenarios;

/// <summary>
/// The seed's Case 1 through the actors, profile 6.18, policy nofault (kernel-model.md §1, §8):
/// a child that execs with strings in .rodata has no PTE for them at sys_enter_execve,
/// because copy_page_range()/vma_needs_copy() skipped the VMA (no anon_vma).
/// </summary>
public sealed class ForkExecScenarioTests : IDisposable
{
    private const int Execs = 20;
    private readonly ActorSystem _system = ActorSystem.Create("fork-exec-scenarios");

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    private RunMetrics Run(params string[] overrides) =>
        ForkExecRuns.Metrics(_system, new[] { $"workload.fork-exec.execs={Execs}", "kernel.profile=\"6.18\"" }.Concat(overrides).ToArray());


    [Theory]
    [InlineData("on", "warm")]
    [InlineData("on", "cold")]
    [InlineData("off", "warm")]
    [InlineData("off", "cold")]
    public void Fork_RodataStrings_EveryFilenameAndArgvReadFails(string parentTouches, string cache)
    {
        var m = Run("workload.fork-exec.spawn=fork", "workload.fork-exec.strings=rodata",
            $"workload.fork-exec.parent-touches-strings={parentTouches}", $"workload.fork-exec.strings-page-cache={cache}");
        Assert.Equal((Execs, Execs), ForkExecRuns.Target(m, "filename"));
        Assert.Equal(ForkExecRuns.Target(m, "argv").Total, ForkExecRuns.Target(m, "argv").Failed);
        Assert.Equal(Execs * 3, ForkExecRuns.Target(m, "argv").Total);
        // Mapped in the parent → fork-skipped-pte; the parent never touched it → not-mapped.
        var expectedCause = parentTouches == "on" ? "fork-skipped-pte" : "not-mapped";
        Assert.Equal(m.ReadsFailed, m.ByCause[expectedCause]);
    }

    [Theory]
    [InlineData("strings-page")]
    [InlineData("window-neighbour")]
    public void Fork_ChildTouchInsideTheFaultAroundWindow_NoReadFails(string touch)
    {
        // do_read_fault() → do_fault_around() maps the cached pages of the aligned 16-page window.
        var m = Run("workload.fork-exec.strings=rodata", $"workload.fork-exec.child-touches={touch}");
        Assert.Equal(0, m.ReadsFailed);
        Assert.Equal(Execs * 5, m.ReadsTotal);
    }

    [Fact]
    public void Fork_ChildTouchOutsideTheWindow_AllStillFail()
    {
        var m = Run("workload.fork-exec.strings=rodata", "workload.fork-exec.child-touches=far-page");
        Assert.Equal((Execs, Execs), ForkExecRuns.Target(m, "filename"));
        Assert.Equal(ForkExecRuns.Target(m, "argv").Total, ForkExecRuns.Target(m, "argv").Failed);
    }

    [Fact]
    public void Fork_ReadaheadMarkedStringsPage_SkippedByFaultAround()
    {
        // filemap_map_pages() skips PG_readahead pages: the neighbour's fault maps the window but
        // not the strings page. The parent must not touch it: its own fault would clear the marker.
        var m = Run("workload.fork-exec.strings=rodata", "workload.fork-exec.child-touches=window-neighbour",
            "workload.fork-exec.strings-page-cache=readahead-marker", "workload.fork-exec.parent-touches-strings=off");
        Assert.Equal((Execs, Execs), ForkExecRuns.Target(m, "filename"));
        Assert.Equal(ForkExecRuns.Target(m, "argv").Total, ForkExecRuns.Target(m, "argv").Failed);
        Assert.Equal(0, ForkExecRuns.Target(m, "argv-array").Failed);
    }

    [Theory]
    [InlineData("vfork")]
    [InlineData("posix-spawn")]
    public void VforkOrPosixSpawn_ParentTouched_NothingFails(string spawn)
    {
        var m = Run($"workload.fork-exec.spawn={spawn}", "workload.fork-exec.strings=rodata");
        Assert.Equal(0, m.ReadsFailed);
    }

    [Theory]
    [InlineData("vfork")]
    [InlineData("posix-spawn")]
    public void VforkOrPosixSpawn_NeverTouchedStrings_OnlyTheFirstExecFails(string spawn)
    {
        // The child shares the parent's mm: the first exec's copy_from_user maps the page for good.
        var m = Run($"workload.fork-exec.spawn={spawn}", "workload.fork-exec.strings=rodata", "workload.fork-exec.parent-touches-strings=off");
        Assert.Equal((Execs, 1), ForkExecRuns.Target(m, "filename"));
        Assert.Equal(3, ForkExecRuns.Target(m, "argv").Failed);
        Assert.Equal(4, m.ByCause["not-mapped"]);
    }

    [Theory]
    [InlineData("stack")]
    [InlineData("heap")]
    [InlineData("data")]
    public void Fork_StringsInWrittenMemory_AreCopiedAndReadable(string region)
    {
        // These VMAs have an anon_vma (the parent wrote them): vma_needs_copy() is true.
        var m = Run("workload.fork-exec.spawn=fork", $"workload.fork-exec.strings={region}");
        Assert.Equal(0, m.ReadsFailed);
    }

    [Fact]
    public void Fork_ArgvArrayInRodata_TheArrayReadFails_AndTheStringsAreUnread()
    {
        var m = Run("workload.fork-exec.strings=rodata", "workload.fork-exec.argv-array=rodata");
        Assert.Equal((Execs, Execs), ForkExecRuns.Target(m, "argv-array"));
        Assert.Equal(Execs * 3, m.ReadsSkipped);
    }

    [Fact]
    public void Fork_ArgvArrayInRelro_ArrayReadable_RodataStringsNot()
    {
        // .data.rel.ro was written by the dynamic linker before mprotect: it has an anon_vma.
        var m = Run("workload.fork-exec.strings=rodata", "workload.fork-exec.argv-array=relro");
        Assert.Equal((Execs, 0), ForkExecRuns.Target(m, "argv-array"));
        Assert.Equal(Execs * 3, ForkExecRuns.Target(m, "argv").Failed);
    }

    [Fact]
    public void EveryExecAndForkHappens()
    {
        var m = Run("workload.fork-exec.spawn=fork");
        Assert.Equal(Execs, m.Forks);
        Assert.Equal(Execs, m.Execs);
        Assert.True(m.ForkWriteLockHoldNsMax > 0);
    }
}
