namespace ActorKernel.TestKit.Tests.Examples;

// docs/scenario-tests.md's examples, written with no using but the global ones the package gives.
public sealed class GuideExamplesTests : ScenarioTestKit
{
    public GuideExamplesTests(Xunit.Abstractions.ITestOutputHelper output) : base(output)
    {
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void OneRowPerSeed(int seed)
    {
        using var s = Scenario().Seed((ulong)seed).ForkExec(new ForkExecOptions { Execs = 1 }).Build();
        s.ExpectProbeReadFailure(ProbeTargets.Filename, FailureCause.ForkSkippedPte);

        Assert.Equal($"ACTORKERNEL_SEED={seed}@1 dotnet test --filter \"DisplayName=ActorKernel.TestKit.Tests.Examples.GuideExamplesTests.OneRowPerSeed\\\\(seed: {seed}\\\\)\"", s.ReplayCommand);
    }

    [Fact]
    public void AnAkkaTestProbe_WithTheTypedOptions()
    {
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe.Ref, typeof(ProbeReadCompleted));
        using var s = Scenario().ForkExec(new ForkExecOptions { Execs = 1 }).Build();

        s.Finish();

        Assert.Equal(ProbeTargets.Filename, probe.ExpectMsg<ProbeReadCompleted>().Target);
    }

    [Fact]
    public void AWriteToRodata_ReadsAsTheGuideSays()
    {
        var e = Assert.Throws<ScenarioError>(() => Scenario()
            .Process(p => p.String("path", RegionKind.Rodata, 5, "/usr/bin/true").Thread(t => t.Write("path")))
            .Build());

        Assert.Equal("scenario process 1: Write(\"path\"): 'path' is in Rodata (prog .rodata), mapped read without write: the kernel would deliver SIGSEGV", e.Message);
    }
}
