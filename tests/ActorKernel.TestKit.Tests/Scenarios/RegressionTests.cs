using ActorKernel.Actors.Locking;
using ActorKernel.Actors.Metrics;
using ActorKernel.Model;
using Xunit.Abstractions;

namespace ActorKernel.TestKit.Tests.Scenarios;

/// <summary>Each bug of issue 17, pinned.</summary>
public sealed class RegressionTests : ScenarioTestKit
{
    public RegressionTests(ITestOutputHelper output) : base(output)
    {
    }

    private static void OneString(ProcessBuilder p) => p
        .String("path", RegionKind.Rodata, 5, "/usr/bin/true")
        .String("buf", RegionKind.Heap, 3, "data")
        .PointerArray("argv", RegionKind.Stack, 28, "path");

    [Fact]
    public void ALockHoldAtZeroNs_PublishesItsAcquisition()
    {
        using var s = Scenario().Process(p => p.Thread(t => t.HoldMmapLock(write: true, 50.Microseconds()))).Build();

        s.Finish();

        var acquired = Assert.Single(s.Observations.OfType<MmapLockObserved>(), l => l.Change == MmapLockChange.Acquired);
        Assert.Equal(0, acquired.AtNs);
    }

    [Fact]
    public void AReadAtZeroNs_PublishesItsFault()
    {
        using var s = Scenario().Process(p => OneString(p.Thread(t => t.Read("path")))).Build();

        s.Finish();

        Assert.Contains(s.Observations.OfType<FaultTaken>(), f => f.Kind == FaultKind.FileRead);
    }

    [Fact]
    public void WaitChild_WithNoChild_ReturnsEchildAtOnce()
    {
        using var s = Scenario().Process(p => OneString(p.Thread(t => t.WaitChild().HoldMmapLock(write: false, 1.Microseconds())))).Build();

        s.Finish();

        Assert.Contains(s.Observations.OfType<MmapLockObserved>(), l => l.Change == MmapLockChange.Released);
    }

    [Fact]
    public void WaitChild_AfterTheChildExited_StillReapsIt()
    {
        using var s = Scenario().Process(p => OneString(p.Thread(t => t.Fork(c => c.Read("path")).Sleep(1.Milliseconds()).WaitChild()))).Build();

        s.Finish();

        Assert.True(s.NowNs >= 1_000_000);
    }

    [Theory]
    [InlineData(RegionKind.Rodata)]
    [InlineData(RegionKind.Text)]
    [InlineData(RegionKind.LibcRodata)]
    [InlineData(RegionKind.Relro)]
    public void AWriteToAReadOnlyMapping_FailsAtBuild_SayingTheKernelWouldDeliverSigsegv(RegionKind region)
    {
        var e = Assert.Throws<ScenarioError>(() => Scenario()
            .Process(p => p.String("s", region, 1, "x").Thread(t => t.Write("s")))
            .Build());

        Assert.Equal($"scenario process 1: Write(\"s\"): 's' is in {region} ", e.Message[..($"scenario process 1: Write(\"s\"): 's' is in {region} ".Length)]);
        Assert.EndsWith("without write: the kernel would deliver SIGSEGV", e.Message);
    }

    [Fact]
    public void AWriteToTheHeap_IsAccepted()
    {
        using var s = Scenario().Process(p => OneString(p.Thread(t => t.Write("buf")))).Build();

        s.Finish();
    }

    [Fact]
    public void TheSeedOverride_AppliesToTheNamedScenarioOnly()
    {
        Assert.Equal(7UL, Replay.SeedFor(2, explicitSeed: 2, defaultSeed: 1, variable: "7@2"));
        Assert.Equal(3UL, Replay.SeedFor(3, explicitSeed: 3, defaultSeed: 1, variable: "7@2"));
        Assert.Equal(1UL, Replay.SeedFor(1, explicitSeed: null, defaultSeed: 1, variable: "7@2"));
        // A bare seed: scenarios without a seed of their own.
        Assert.Equal(7UL, Replay.SeedFor(1, explicitSeed: null, defaultSeed: 1, variable: "7"));
        Assert.Equal(5UL, Replay.SeedFor(1, explicitSeed: 5, defaultSeed: 1, variable: "7"));
        Assert.Equal(5UL, Replay.SeedFor(1, explicitSeed: 5, defaultSeed: 1, variable: null));
        var e = Assert.Throws<ScenarioError>(() => Replay.SeedFor(1, null, 1, "seven"));
        Assert.StartsWith("ACTORKERNEL_SEED='seven': expected SEED@SCENARIO", e.Message);
    }

    [Fact]
    public void EachScenarioOfATest_NamesItsOwnNumberInTheReplayCommand()
    {
        using var first = Scenario().Seed(11).ForkExec(("execs", "1")).Build();
        using var second = Scenario().Seed(12).ForkExec(("execs", "1")).Build();

        Assert.StartsWith("ACTORKERNEL_SEED=11@1 dotnet test", first.ReplayCommand);
        Assert.StartsWith("ACTORKERNEL_SEED=12@2 dotnet test", second.ReplayCommand);
    }

    [Theory]
    [InlineData(3, "a b")]
    public void TheReplayCommandOfATheoryRow_SelectsThatRowByItsDisplayName(int seed, string label)
    {
        using var s = Scenario().Seed((ulong)seed).ForkExec(("execs", "1")).Build();

        Assert.Equal("a b", label);
        Assert.Equal(
            "ACTORKERNEL_SEED=3@1 dotnet test --filter \"DisplayName=ActorKernel.TestKit.Tests.Scenarios.RegressionTests.TheReplayCommandOfATheoryRow_SelectsThatRowByItsDisplayName\\\\(seed: 3, label: \\\"a b\\\"\\\\)\"",
            s.ReplayCommand);
    }
}
