using Akka.Configuration;

namespace ActorKernel.TestKit;

/// <summary>
/// Base class for scenario tests on Akka.TestKit.Xunit2: <see cref="Scenario"/> starts a
/// builder on this test's actor system; TestProbes created here can subscribe to the
/// observations a scenario publishes (Sys.EventStream.Subscribe(probe.Ref, typeof(ProbeReadCompleted))).
/// Tests drive scenarios from their own thread: write them as synchronous test methods.
/// </summary>
public abstract class ScenarioTestKit : Akka.TestKit.Xunit2.TestKit
{
    private static readonly Config Quiet = ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.log-dead-letters = off");

    protected ScenarioTestKit() : base(Quiet)
    {
    }

    /// <summary>A new scenario on this test's actor system.</summary>
    protected ScenarioBuilder Scenario() => new(Sys);
}
