using ActorKernel.Actors.Cpu;
using ActorKernel.Actors.Tasks;
using ActorKernel.Actors.Tests.Engine;
using ActorKernel.Actors.Tests.Scenarios;
using ActorKernel.Model;
using Akka.TestKit.Xunit2;

namespace ActorKernel.Actors.Tests.Cpu;

/// <summary>CpuActor's protocol: tracepoints and the probe programs attached to them, and the run queue's ticks.</summary>
public sealed class CpuActorTests : TestKit
{
    private static readonly ProbeReadPlan Args = new(new[] { new PlannedRead(ProbeTargets.Filename, 0x1000, 8) });

    private SimHarness Start(int node = 0) =>
        SimHarness.Start(Sys, CreateTestProbe().Ref, sim => CpuActor.Props(sim, cpu: 2, node, ForkExecRuns.Settings("machine.tick-hz=250").Sched));

    [Fact]
    public void ATracepointWithoutAProgram_ReturnsAtOnce()
    {
        using var h = Start();
        var task = CreateTestProbe();
        h.Send(new TracepointEnter(Tracepoint.SysEnterExecve, Args, 7, CreateTestProbe().Ref, task.Ref));
        task.ExpectMsg(new TracepointReturn(Tracepoint.SysEnterExecve));
    }

    [Fact]
    public void TheTaskWaitsAtTheTracepoint_UntilTheAttachedProgramIsDone()
    {
        using var h = Start();
        var task = CreateTestProbe();
        var program = CreateTestProbe();
        var mm = CreateTestProbe();
        h.Send(new AttachProbe(Tracepoint.SysEnterExecve, program.Ref));

        h.Send(new TracepointEnter(Tracepoint.SysEnterExecve, Args, 7, mm.Ref, task.Ref));

        var hit = program.ExpectMsg<TracepointHit>();
        Assert.Equal((Tracepoint.SysEnterExecve, 7, mm.Ref, h.Actor), (hit.Point, hit.TaskId, hit.Mm, hit.Cpu));
        task.ExpectNoMsg(TimeSpan.Zero);
        h.Send(new ProbeProgramDone(7));
        task.ExpectMsg(new TracepointReturn(Tracepoint.SysEnterExecve));
    }

    [Fact]
    public void ARunnableTask_IsChargedAtEachTick_AndToldRunDoneWhenItsBurstIsUsed()
    {
        using var h = Start(node: 1);
        var task = CreateTestProbe();
        var scanner = CreateTestProbe();
        var tickNs = SimTime.MsToNs(4);

        h.Send(new RunRequest(3, task.Ref, WantNs: SimTime.MsToNs(6), scanner.Ref));
        h.Advance(tickNs);

        scanner.ExpectMsg(new SchedTickCharged(3, tickNs, CpuNode: 1));
        task.ExpectNoMsg(TimeSpan.Zero);
        h.Advance(tickNs);
        scanner.ExpectMsg(new SchedTickCharged(3, SimTime.MsToNs(2), CpuNode: 1));
        task.ExpectMsg(new RunDone(3));
    }
}
