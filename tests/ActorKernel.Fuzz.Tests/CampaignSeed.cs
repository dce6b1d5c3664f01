using System.Globalization;
using System.Runtime.CompilerServices;
using CsCheck;

namespace ActorKernel.Fuzz.Tests;

/// <summary>
/// Makes a campaign run reproducible. CsCheck's <c>seed:</c> pins only the first iteration of a
/// <c>Sample</c>; the others come from a generator seeded by the clock. Here every case has its own
/// CsCheck seed, derived from one campaign seed, the test's name and the case's index, and is run
/// as a one-iteration <c>Sample</c> with that seed: the same campaign seed gives the same cases in
/// the same order. The campaign seed is <see cref="Variable"/> when set (a CI job may set it, e.g.
/// to its build number), else drawn once per test process; each test prints it, and a failing case
/// names the commands that replay the campaign and the case alone (CsCheck_Seed, CsCheck's own
/// variable). Cases are not shrunk: the failing input itself is printed, whole.
/// </summary>
internal static class CampaignSeed
{
    public const string Variable = "ACTORKERNEL_FUZZ_SEED";

    /// <summary>The campaign seed of this test process.</summary>
    public static ulong Value { get; } = Read();

    private static ulong Read()
    {
        var text = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(text)) return (ulong)Random.Shared.NextInt64(long.MaxValue);
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : throw new InvalidOperationException($"{Variable} must be a whole number from 0 to {ulong.MaxValue}, got '{text}'");
    }

    /// <summary>The command that runs <paramref name="test"/> again with this campaign seed.</summary>
    public static string ReplayCommand(string test) =>
        $"{Variable}={Value} dotnet test tests/ActorKernel.Fuzz.Tests --filter \"FullyQualifiedName~{test}\"";

    /// <summary>
    /// Runs <paramref name="cases"/> cases of <paramref name="gen"/> through <paramref name="assert"/>, case i
    /// from the CsCheck seed derived from the campaign seed, <paramref name="test"/> and i. With
    /// CsCheck_Seed set, runs that one case only. Returns the number of cases run.
    /// </summary>
    public static int Sample<T>(Gen<T> gen, Action<T> assert, int cases, Func<T, string> print, Action<string> log, [CallerMemberName] string test = "")
    {
        if (Check.Seed is { } single)
        {
            log($"CsCheck_Seed={single}: replaying that one case");
            gen.Sample(assert, seed: single, iter: 1, threads: 1, print: print);
            return 1;
        }
        log($"campaign seed {Value}; replay with: {ReplayCommand(test)}");
        int i = 0;
        foreach (var caseSeed in CaseSeeds(Value, test, cases))
        {
            i++;
            try
            {
                gen.Sample(assert, seed: caseSeed, iter: 1, threads: 1, print: print);
            }
            catch (CsCheckException e)
            {
                throw new CampaignCaseFailed(
                    $"case {i} of {cases} failed (campaign seed {Value}).{Environment.NewLine}" +
                    $"  replay the campaign: {ReplayCommand(test)}{Environment.NewLine}" +
                    $"  replay this case:    CsCheck_Seed={caseSeed} dotnet test tests/ActorKernel.Fuzz.Tests --filter \"FullyQualifiedName~{test}\"{Environment.NewLine}" +
                    e.Message, e);
            }
        }
        return cases;
    }

    /// <summary>The CsCheck seeds of a campaign's cases for <paramref name="test"/>, in order.</summary>
    public static IEnumerable<string> CaseSeeds(ulong campaignSeed, string test, int cases)
    {
        // The test's name picks the PCG stream, so the tests of one campaign draw different cases.
        var stream = BitConverter.ToUInt32(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(test)));
        var cursor = new PCG(stream, campaignSeed);
        for (int i = 0; i < cases; i++) yield return new PCG(stream, cursor.Next64()).ToString();
    }
}

/// <summary>A generated case broke the promise; the message says how to replay it.</summary>
internal sealed class CampaignCaseFailed(string message, Exception inner) : Exception(message, inner);
