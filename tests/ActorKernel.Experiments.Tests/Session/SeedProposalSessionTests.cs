using ActorKernel.Configuration;
using ActorKernel.Experiments.Session;

namespace ActorKernel.Experiments.Tests.Session;

/// <summary>The shipped seed-proposal experiment: its policies, its availability checks, its output files.</summary>
public sealed class SeedProposalSessionTests
{
    private static readonly string File = Path.Combine(RepoRoot(), "config", "experiments", "seed-proposal.conf");

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "ActorKernel.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    [Fact]
    public void Expands_SixChurnRates_FivePolicies()
    {
        var s = ExperimentSession.Prepare(File, Array.Empty<string>());
        Assert.Equal(6, s.Plan.Points.Count);
        Assert.Equal(5, s.Experiment.Policies.Count);
        Assert.Equal("0", s.Plan.Points[0][0].Value);
    }

    [Theory]
    [InlineData("4.14", "sleepable")]
    [InlineData("4.14", "trylock-vma")]
    public void UnavailablePolicy_IsAConfigurationError_NamingProfileAndAttachPoint(string profile, string policy)
    {
        var e = Assert.Throws<ConfigError>(() => ExperimentSession.Prepare(File, new[] { $"kernel.profile=\"{profile}\"", $"experiment.policies=[nofault, {policy}]" }));
        Assert.Contains($"policy {policy}", e.Message);
        Assert.Contains($"kernel profile {profile}", e.Message);
        Assert.Contains("sys_enter_execve", e.Message);
    }

    // kernel-model.md §4: sleepable runs as fentry/__x64_sys_execve, which 6.8 accepts (5.10+).
    [Fact]
    public void Sleepable_On68_IsAvailable()
    {
        var s = ExperimentSession.Prepare(File, new[] { "kernel.profile=\"6.8\"", "experiment.policies=[nofault, sleepable]" });
        Assert.Equal(2, s.Experiment.Policies.Count);
    }

    [Fact]
    public void OutputFolder_HasThePlots_AsPng()
    {
        var s = ExperimentSession.Prepare(File, new[]
        {
            // Enough execs for a probe to hold the lock while a churn writer waits (the delay plot needs one).
            "workload.fork-exec.execs=10", "experiment.runs-per-point=1",
        });
        var files = s.OutputFiles(s.Run(2, null, CancellationToken.None));
        foreach (var name in new[] { "failure-rate.png", "failures-by-cause.png", "probe-latency-cdf.png", "workload-delay.png" })
        {
            var png = files.Single(f => f.Name == name).Content;
            Assert.True(png.Length > 1000, name);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png.Take(4));
        }
    }
}
