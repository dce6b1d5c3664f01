using ActorKernel.Actors.Metrics;
using ActorKernel.Model;
using Akka.TestKit.Xunit2;

namespace ActorKernel.Actors.Tests.Scenarios;

/// <summary>Akka.TestKit observes a run from outside: a probe subscribed to the event stream sees every read.</summary>
public sealed class ProbeObservationTests : TestKit
{
    [Fact]
    public void AProbeAtSysEnterExecve_SeesTheChildsRodataReadsFailWithForkSkippedPte()
    {
        var observer = CreateTestProbe();
        Sys.EventStream.Subscribe(observer.Ref, typeof(ProbeReadCompleted));
        var s = ForkExecRuns.Settings("workload.fork-exec.execs=2", "workload.fork-exec.strings=rodata", "workload.fork-exec.argv-array=stack");

        var outcome = ForkExecRuns.Run(Sys, s, publish: true);

        Assert.True(outcome.Succeeded, outcome.Failure);
        var filename = observer.ExpectMsg<ProbeReadCompleted>();
        Assert.Equal("filename", filename.Target);
        Assert.False(filename.Ok);
        Assert.Equal(FailureCause.ForkSkippedPte, filename.Cause);
        Assert.Equal("sys_enter_execve", filename.Attach);
        var array = observer.ExpectMsg<ProbeReadCompleted>();
        Assert.Equal(("argv-array", true), (array.Target, array.Ok));
        var argv0 = observer.ExpectMsg<ProbeReadCompleted>();
        Assert.Equal(("argv", FailureCause.ForkSkippedPte), (argv0.Target, argv0.Cause));
    }
}
