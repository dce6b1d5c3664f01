using System.Diagnostics;

namespace ActorKernel.TestKit;

/// <summary>How to replay a scenario: its seed, and the test that built it.</summary>
public static class Replay
{
    /// <summary>Set this environment variable to a seed to run every scenario with it.</summary>
    public const string SeedVariable = "ACTORKERNEL_SEED";

    /// <summary>The seed from <see cref="SeedVariable"/>, if set.</summary>
    public static ulong? SeedOverride =>
        ulong.TryParse(Environment.GetEnvironmentVariable(SeedVariable), out var s) ? s : null;

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

    /// <summary>A one-line command that reruns <paramref name="test"/> with <paramref name="seed"/>.</summary>
    public static string Command(ulong seed, string? test) =>
        test is null
            ? $"{SeedVariable}={seed} dotnet test"
            : $"{SeedVariable}={seed} dotnet test --filter \"FullyQualifiedName~{test}\"";
}
