using Akka.Actor;

namespace ActorKernel.Actors.Engine;

/// <summary>
/// Base of a run's single top-level actor. It tells the engine when it has started and
/// stopped, and turns any failure below it into a failed run naming the actor and the
/// event — never a silent restart that would corrupt results.
/// </summary>
public abstract class SimRootActor : UntypedActor
{
    protected SimRootActor(SimContext sim)
    {
        Sim = sim;
    }

    protected SimContext Sim { get; }

    protected override void PreStart() => Sim.MarkRootStarted();

    protected override void PostStop() => Sim.MarkRootStopped();

    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(ex =>
        {
            Sim.Fail($"{Sender.Path.ToStringWithoutAddress()} failed: {ex.GetType().Name}: {ex.Message}");
            return Directive.Stop;
        });

    protected sealed override void OnReceive(object message)
    {
        try
        {
            OnRootMessage(message);
        }
        catch (Exception ex)
        {
            // The root must never fail: its supervisor is the /user guardian, outside the run.
            Sim.Fail($"{Self.Path.ToStringWithoutAddress()} failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>Handle a message; <see cref="RunIdle"/> arrives when nothing is pending.</summary>
    protected abstract void OnRootMessage(object message);
}
