using System.Reflection;
using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Engine;
using ActorKernel.Actors.Tests.Scenarios;
using ActorKernel.Configuration;
using Akka.Actor;

namespace ActorKernel.Actors.Tests.Configuration;

public sealed class CostDistributionTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("cost-distributions");

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    private static ActorKernelSettings Load(params string[] set) => SettingsLoader.Load(null, set);

    // Every costs.* key, with the settings property that reads it (kebab case to Pascal case).
    public static TheoryData<string> CostKeys() => new(ActorKernelSchema.Schema.KeyPaths
        .Select(k => k["actor-kernel.".Length..]).Where(p => p.StartsWith("costs.", StringComparison.Ordinal)));

    private static long Read(ActorKernelSettings s, string key)
    {
        var name = key["costs.".Length..];
        var numa = name.StartsWith("numa-", StringComparison.Ordinal);
        var property = string.Concat((numa ? name["numa-".Length..] : name).Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
        object owner = numa ? s.NumaCosts : s.Costs;
        var p = owner.GetType().GetProperty(property, BindingFlags.Public | BindingFlags.Instance) ?? throw new InvalidOperationException($"no property {property} for {key}");
        return (long)p.GetValue(owner)!;
    }

    [Fact]
    public void FixedCostsDrawNothing_TheRunSeesTheSameSettings()
    {
        var s = Load();
        Assert.Same(s, s.ForRun(42));
        Assert.Empty(s.Costs.Varying);
        Assert.Empty(s.NumaCosts.Varying);
    }

    [Theory]
    [MemberData(nameof(CostKeys))]
    public void EveryCostKeyAcceptsADistribution_AndARunDrawsIt(string key)
    {
        var s = Load($"{key}=[uniform, 1000, 2000]");
        Assert.Equal(1500, Read(s, key));
        var run = s.ForRun(7);
        var draws = Enumerable.Range(0, 50).Select(_ => Read(run, key)).ToArray();
        Assert.All(draws, d => Assert.InRange(d, 1000, 2000));
        Assert.True(draws.Distinct().Count() > 10, $"{key} should vary within a run");
        var again = s.ForRun(7);
        Assert.Equal(draws, Enumerable.Range(0, 50).Select(_ => Read(again, key)));
    }

    [Fact]
    public void OneKeyVaryingLeavesTheOthersFixed()
    {
        var run = Load("costs.minor-fault-ns=[lognormal, 1500, 6000]").ForRun(3);
        Assert.Equal(100, run.Costs.SyscallEntryNs);
        Assert.Equal(2000, run.NumaCosts.HintFaultNs);
    }

    [Fact]
    public void LognormalHasTheGivenMedianAndP99()
    {
        var d = new CostDistribution.LogNormal(1500, 6000);
        var random = new SimRandom(11);
        var draws = Enumerable.Range(0, 40_000).Select(_ => d.Draw(random)).Order().ToArray();
        Assert.InRange(draws[draws.Length / 2], 1440, 1560);
        Assert.InRange(draws[(int)(draws.Length * 0.99)], 5500, 6500);
    }

    [Fact]
    public void EmpiricalDrawsOnlyListedValues_EachAboutEquallyOften()
    {
        var d = new CostDistribution.Empirical([100, 200, 4000]);
        var random = new SimRandom(5);
        var counts = Enumerable.Range(0, 30_000).Select(_ => d.Draw(random)).GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal([100L, 200L, 4000L], counts.Keys.Order());
        Assert.All(counts.Values, c => Assert.InRange(c, 9_400, 10_600));
        Assert.Equal(200, d.TypicalNs);
    }

    [Theory]
    [InlineData("[uniform, 5, 5]")]
    [InlineData("[lognormal, 1, 1]")]
    [InlineData("[empirical, 0]")]
    [InlineData("1000000000000")]
    public void EdgeValuesAreAccepted(string value) => Load($"costs.exec-ns={value}");

    [Theory]
    [InlineData("[uniform, 5, 4]")]
    [InlineData("[uniform, 5]")]
    [InlineData("[lognormal, 0, 10]")]
    [InlineData("[lognormal, 10, 9]")]
    [InlineData("[empirical]")]
    [InlineData("[normal, 1, 2]")]
    [InlineData("[uniform, -1, 2]")]
    [InlineData("[uniform, 1, 1000000000001]")]
    [InlineData("uniform")]
    [InlineData("-5")]
    public void ABadDistributionIsOneLineNamingTheKeyAndTheForms(string value)
    {
        var e = Assert.Throws<ConfigError>(() => Load($"costs.exec-ns={value}"));
        Assert.StartsWith($"invalid value '{value}' for actor-kernel.costs.exec-ns in --set: expected an integer from 0 to 1000000000000 (ns), or [uniform, MIN, MAX], [lognormal, MEDIAN, P99]", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void AVaryingFaultCostSpreadsTheProbeLatency_SameSeedSameRun()
    {
        string[] set = ["workload.fork-exec.execs=40", "workload.fork-exec.parent-touches-strings=off", "costs.minor-fault-ns=[lognormal, 1500, 20000]"];
        var fixedRun = ForkExecRuns.Run(_system, ForkExecRuns.Settings(set[..2]), seed: 4);
        var a = ForkExecRuns.Run(_system, ForkExecRuns.Settings(set), seed: 4, lane: 1);
        var b = ForkExecRuns.Run(_system, ForkExecRuns.Settings(set), seed: 4, lane: 2);
        Assert.True(a.Succeeded, a.Failure);
        Assert.Equal(a.VirtualTimeNs, b.VirtualTimeNs);
        Assert.Equal(a.Metrics!.ProbeLatencyNs, b.Metrics!.ProbeLatencyNs);
        Assert.NotEqual(fixedRun.VirtualTimeNs, a.VirtualTimeNs);
    }
}
