using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Akka.Actor;

namespace ActorKernel.TestKit;

/// <summary>
/// How to replay a scenario: its seed, which scenario of its test it was, and the test (the
/// [Theory] row too) that built it.
/// </summary>
/// <remarks>
/// <see cref="SeedVariable"/> takes <c>SEED@N</c>: the N-th scenario a test builds (counted from 1, in
/// the order of <see cref="ScenarioBuilder.Build()"/>) runs with SEED, every other one with its own seed,
/// so a test over many seeds replays its failing scenario and nothing else changes. A bare <c>SEED</c>
/// applies to every scenario that sets no <see cref="ScenarioBuilder.Seed"/> of its own.
/// </remarks>
public static class Replay
{
    /// <summary>The environment variable of a replay: <c>SEED@N</c> or <c>SEED</c>.</summary>
    public const string SeedVariable = "ACTORKERNEL_SEED";

    private static readonly ConditionalWeakTable<ActorSystem, StrongBox<int>> Built = new();

    /// <summary>The seed from <see cref="SeedVariable"/>, if set and well formed.</summary>
    public static ulong? SeedOverride => TryParse(Environment.GetEnvironmentVariable(SeedVariable), out var o) ? o?.Seed : null;

    /// <summary>The scenario of the test the override applies to (N of <c>SEED@N</c>), or null for every scenario without a seed of its own.</summary>
    public static int? SeedOverrideScenario => TryParse(Environment.GetEnvironmentVariable(SeedVariable), out var o) ? o?.Scenario : null;

    /// <summary>The seed the <paramref name="scenario"/>-th scenario of a test runs with.</summary>
    internal static ulong SeedFor(int scenario, ulong? explicitSeed, ulong defaultSeed) =>
        SeedFor(scenario, explicitSeed, defaultSeed, Environment.GetEnvironmentVariable(SeedVariable));

    /// <summary>The seed the <paramref name="scenario"/>-th scenario of a test runs with, <paramref name="variable"/> being <see cref="SeedVariable"/>'s value.</summary>
    internal static ulong SeedFor(int scenario, ulong? explicitSeed, ulong defaultSeed, string? variable)
    {
        var text = variable;
        if (!TryParse(text, out var o))
            throw new ScenarioError($"{SeedVariable}='{text}': expected SEED@SCENARIO (e.g. 7@2, the seed for the test's second scenario) or SEED");
        return o switch
        {
            { Scenario: { } n } when n == scenario => o.Value.Seed,
            { Scenario: null } when explicitSeed is null => o.Value.Seed,
            _ => explicitSeed ?? defaultSeed,
        };
    }

    /// <summary>Counts the scenarios built on <paramref name="system"/> (one test's actor system): this one's number, from 1.</summary>
    internal static int NextScenario(ActorSystem system) => Interlocked.Increment(ref Built.GetValue(system, _ => new StrongBox<int>()).Value);

    private static bool TryParse(string? text, out (ulong Seed, int? Scenario)? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text)) return true;
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var seedText = at < 0 ? text : text[..at];
        if (!ulong.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out var seed)) return false;
        if (at < 0)
        {
            value = (seed, null);
            return true;
        }
        if (!int.TryParse(text[(at + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1) return false;
        value = (seed, n);
        return true;
    }

    /// <summary>The xunit test method on the current call stack (the first [Fact]/[Theory]), as "Namespace.Class.Method".</summary>
    public static string? CallingTest()
    {
        foreach (var frame in new StackTrace().GetFrames())
        {
            var m = frame.GetMethod();
            if (m?.DeclaringType is null) continue;
            if (m.GetCustomAttributes(inherit: true).Any(a => a.GetType().Name is "FactAttribute" or "TheoryAttribute"))
                return $"{m.DeclaringType.FullName}.{m.Name}";
        }
        return null;
    }

    /// <summary>A one-line command that reruns <paramref name="test"/> with <paramref name="seed"/> for every scenario without a seed of its own.</summary>
    public static string Command(ulong seed, string? test) =>
        test is null
            ? $"{SeedVariable}={seed} dotnet test"
            : $"{SeedVariable}={seed} dotnet test --filter \"FullyQualifiedName~{test}\"";

    /// <summary>
    /// A one-line command that reruns exactly one scenario: the <paramref name="scenario"/>-th of its test with
    /// <paramref name="seed"/>, selecting the test by its display name when that names a [Theory] row
    /// (<paramref name="displayName"/> with its arguments), else by its full name.
    /// </summary>
    public static string Command(ulong seed, int scenario, string? test, string? displayName)
    {
        var variable = $"{SeedVariable}={seed}@{scenario}";
        if (test is null) return $"{variable} dotnet test";
        var filter = displayName is not null && displayName != test && displayName.StartsWith(test + "(", StringComparison.Ordinal)
            ? "DisplayName=" + FilterValue(displayName)
            : "FullyQualifiedName=" + FilterValue(test);
        return $"{variable} dotnet test --filter \"{ShellDoubleQuoted(filter)}\"";
    }

    // dotnet test --filter: \ ( ) & | = ! ~ are operators unless escaped with \.
    private static string FilterValue(string value)
    {
        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c is '\\' or '(' or ')' or '&' or '|' or '=' or '!' or '~') sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    // Inside "…" a POSIX shell still expands $ and ` and treats \ and " specially.
    private static string ShellDoubleQuoted(string value)
    {
        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c is '\\' or '"' or '$' or '`') sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }
}
