namespace ActorKernel.Model.Tests.Tracing;

/// <summary>The read plans the kernel data types declare: what a tracer's program reads at each hit.</summary>
public class ProbeReadPlanTests
{
    private static readonly ExecveArgs Args = new(
        new UserString(0x1000, 14), 0x2000, [new UserString(0x1100, 5), new UserString(0x1105, 7), new UserString(0x110c, 7)])
    {
        FilenameText = "/usr/bin/true",
        ArgvText = ["true", "--arg1", "--arg2"],
    };

    [Fact]
    public void Execve_ReadsFilenameThenArgvArray_AndTheStringsOnlyThroughTheArray()
    {
        var plan = Args.ReadPlan(maxArgv: 8);
        Assert.Equal([ProbeTargets.Filename, ProbeTargets.ArgvArray], plan.Reads.Select(r => r.Target));
        Assert.Equal((0x1000UL, 14), (plan.Reads[0].Addr, plan.Reads[0].LengthBytes));
        Assert.Equal((0x2000UL, 32), (plan.Reads[1].Addr, plan.Reads[1].LengthBytes));
        Assert.Empty(plan.Reads[0].Then);
        Assert.Equal([0x1100UL, 0x1105UL, 0x110cUL], plan.Reads[1].Then.Select(r => r.Addr));
        Assert.All(plan.Reads[1].Then, r => Assert.Equal(ProbeTargets.Argv, r.Target));
        Assert.Equal(Tracepoint.SchedProcessExec, plan.Deferred!.ExitPoint);
    }

    [Fact]
    public void Execve_MaxArgv_BoundsThePointerArrayAndTheStrings()
    {
        var plan = Args.ReadPlan(maxArgv: 2);
        Assert.Equal(16, plan.Reads[1].LengthBytes);
        Assert.Equal(2, plan.Reads[1].Then.Count);
    }

    [Fact]
    public void Execve_DeferredRead_ReadsTheNewMmsArgumentArea_WithTheBytesAtEntry()
    {
        var (area, reads) = Args.ReadPlan(maxArgv: 2).Deferred!.Plan(mmId: -7);
        Assert.Equal([ProbeTargets.Filename, ProbeTargets.ArgvArray, ProbeTargets.Argv, ProbeTargets.Argv], reads.Select(r => r.Target));
        Assert.Equal(area.FilenameAddr, reads[0].Addr);
        Assert.Equal("/usr/bin/true", reads[0].TextAtEntry);
        Assert.Null(reads[1].TextAtEntry);
        Assert.All(reads, r => Assert.True(ProbeRead.Walk(area.Mm, r.Addr, r.LengthBytes).Ok));
        Assert.All(reads.Where(r => r.TextAtEntry is not null), r => Assert.Equal(r.TextAtEntry, area.StringAt(r.Addr)));
    }

    [Fact]
    public void Syscall_ReadsEachDeclaredPointer_InOrder_WithNoDeferredRead()
    {
        var args = new SyscallArgs([new SyscallPointer("idle-buffer", 0x5000, 64), new SyscallPointer("arg-start", 0x6000, 64)], []);
        var plan = args.ReadPlan();
        Assert.Equal([("idle-buffer", 0x5000UL, 64), ("arg-start", 0x6000UL, 64)], plan.Reads.Select(r => (r.Target, r.Addr, r.LengthBytes)));
        Assert.Null(plan.Deferred);
    }

    [Theory]
    [InlineData(Tracepoint.SysEnterExecve, true)]
    [InlineData(Tracepoint.SysEnterWrite, true)]
    [InlineData(Tracepoint.SysEnterOpenat, true)]
    [InlineData(Tracepoint.SchedProcessExec, false)]
    public void SyscallEntryTracepoints_AreTheSysEnterOnes(Tracepoint tp, bool syscallEntry)
    {
        Assert.Equal(syscallEntry, tp.IsSyscallEntry());
        Assert.Equal(tp, TracepointNames.Parse(tp.ToName()));
    }
}
