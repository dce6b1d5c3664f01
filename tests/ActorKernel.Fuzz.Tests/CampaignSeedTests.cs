using CsCheck;

namespace ActorKernel.Fuzz.Tests;

/// <summary>The campaign seed makes a run's cases reproducible, and a failure says how to replay it.</summary>
public sealed class CampaignSeedTests
{
    private static readonly Gen<string> Text = Gen.String[Gen.Char["abc=${}"], 0, 12];

    private static List<string> Generated(ulong campaignSeed, string test) =>
        CampaignSeed.CaseSeeds(campaignSeed, test, 40).Select(seed =>
        {
            string value = "";
            Text.Sample(v => value = v, seed: seed, iter: 1, threads: 1);
            return value;
        }).ToList();

    [Fact]
    public void SameCampaignSeed_GivesTheSameCases_InTheSameOrder()
    {
        Assert.Equal(Generated(7, "A"), Generated(7, "A"));
        Assert.NotEqual(Generated(7, "A"), Generated(8, "A"));
        Assert.NotEqual(Generated(7, "A"), Generated(7, "B"));
    }

    [Fact]
    public void FailingCase_PrintsTheCommandsThatReplayIt_AndItsSeedGivesTheSameInput()
    {
        var seen = new List<string>();
        var failure = Assert.Throws<CampaignCaseFailed>(() => CampaignSeed.Sample(Text, v =>
        {
            seen.Add(v);
            Assert.True(seen.Count < 5, "fifth case");
        }, 100, v => v, _ => { }, "SomeTest"));

        Assert.Contains($"ACTORKERNEL_FUZZ_SEED={CampaignSeed.Value} dotnet test tests/ActorKernel.Fuzz.Tests --filter \"FullyQualifiedName~SomeTest\"", failure.Message);
        Assert.StartsWith("case 5 of 100 failed", failure.Message);
        var caseSeed = failure.Message.Split("CsCheck_Seed=")[1].Split(' ')[0];
        Assert.Equal(CampaignSeed.CaseSeeds(CampaignSeed.Value, "SomeTest", 5).Last(), caseSeed);
        string replayed = "";
        Text.Sample(v => replayed = v, seed: caseSeed, iter: 1, threads: 1);
        Assert.Equal(seen[^1], replayed);
    }
}
