using ActorKernel.Actors.Metrics;
using ActorKernel.Actors.Tests.Engine;
using ActorKernel.Model;
using Akka.TestKit.Xunit2;

namespace ActorKernel.Actors.Tests.Metrics;

/// <summary>MetricsActor's protocol: events in, outcomes published to observers, the figures on MetricsSnapshot.</summary>
public sealed class MetricsActorTests : TestKit
{
    [Fact]
    public void ReadsArePublished_AndTheSnapshotAnswersWithTheRunsFigures()
    {
        using var h = SimHarness.Start(Sys, CreateTestProbe().Ref, sim => MetricsActor.Props(sim, SimTime.NsPerS));
        var seen = new List<object>();
        h.Sim.Observer = seen.Add;
        var read = new ProbeReadCompleted(10, "sys_enter_execve", "nofault", "filename", 3, 0x1000, false, FailureCause.ForkSkippedPte, 250);
        var asker = CreateTestProbe();

        h.Send(read);
        h.Send(new ExecFinished(3));
        h.Send(new MmapLockStatsDelta(new RwsemCounters(5, 0, 0, 0, 1, 1, 0)));
        h.Send(new MetricsSnapshot(asker.Ref));

        Assert.Equal(new object[] { read }, seen);
        var m = asker.ExpectMsg<RunMetrics>();
        Assert.Equal((1, 1, 1), (m.ReadsFailed, m.ByCause["fork-skipped-pte"], m.Execs));
        Assert.Equal((5, 1), (m.Policy.Locks.WriteHoldNsTotal, m.Policy.Locks.TrylockFailures));
    }

    [Fact]
    public void AnUnexpectedMessage_FailsTheRun_NamingTheMetricsActor()
    {
        using var h = SimHarness.Start(Sys, CreateTestProbe().Ref, sim => MetricsActor.Props(sim, SimTime.NsPerS));
        h.Send("not a metric");
        Assert.Contains("under-test received an unexpected String: not a metric", h.Sim.Failure);
    }
}
