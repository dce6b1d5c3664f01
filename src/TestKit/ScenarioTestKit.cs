using System.Reflection;
using Akka.Configuration;
using Xunit.Abstractions;

namespace ActorKernel.TestKit;

/// <summary>
/// Base class for scenario tests on Akka.TestKit.Xunit2: <see cref="Scenario"/> starts a
/// builder on this test's actor system; TestProbes created here can subscribe to the
/// observations a scenario publishes (Sys.EventStream.Subscribe(probe.Ref, typeof(ProbeReadCompleted))).
/// Tests drive scenarios from their own thread: write them as synchronous test methods.
/// </summary>
/// <remarks>
/// A test class whose constructor takes xunit's <see cref="ITestOutputHelper"/> and passes it here gets
/// Akka's log in the test output, and replay commands that select the single failing [Theory] row.
/// </remarks>
public abstract class ScenarioTestKit : Akka.TestKit.Xunit2.TestKit
{
    private static readonly Config Quiet = ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.log-dead-letters = off");
    private readonly string? _testDisplayName;

    protected ScenarioTestKit() : base(Quiet)
    {
    }

    /// <summary>With the test's output: Akka logs there, and a replay command names the [Theory] row.</summary>
    protected ScenarioTestKit(ITestOutputHelper output) : base(Quiet, output: output)
    {
        _testDisplayName = DisplayNameOf(output);
    }

    /// <summary>A new scenario on this test's actor system.</summary>
    protected ScenarioBuilder Scenario() => new(Sys) { TestDisplayName = _testDisplayName };

    // xunit 2 exposes the running test (its display name carries a [Theory] row's arguments) only
    // through the output helper it hands the test class: Xunit.Sdk.TestOutputHelper's private field.
    private static string? DisplayNameOf(ITestOutputHelper output) =>
        (output.GetType().GetField("test", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(output) as ITest)?.DisplayName;
}
