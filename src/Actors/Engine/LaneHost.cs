using Akka.Actor;

namespace ActorKernel.Actors.Engine;

/// <summary>
/// The lane's one long-lived top-level actor, on the lane's dispatcher. Each run's root is
/// created as its child. Akka creates top-level actors asynchronously through the /user
/// guardian on another thread (a RepointableActorRef that is pointed later, re-sending what
/// it queued meanwhile); a child is created synchronously on the creating thread. So only the
/// host's own creation, once per lane, crosses threads — never a run's.
/// </summary>
internal sealed class LaneHost : UntypedActor
{
    private SimContext? _current;

    protected override void OnReceive(object message)
    {
        if (message is not StartRoot start)
        {
            // Only a run's root can reach the host (its Context.Parent): that fails the run like any
            // other protocol error. Outside a run nothing may send here; throwing makes it loud there.
            if (_current is { IsCompleted: false } run) run.Unexpected(Self, message);
            else throw new InvalidOperationException($"lane host received an unexpected {message.GetType().Name} outside a run: {message}");
            return;
        }
        _current = start.Context;
        start.Created(Context.ActorOf(start.Props, start.Name));
    }

    // A root never fails on its own (SimRootActor catches), but its constructor or PreStart may:
    // that fails the run, and the host lives on for the next one.
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(ex =>
        {
            _current?.Fail($"the run's root failed: {ex.GetType().Name}: {ex.Message}");
            _current?.MarkRootStopped();
            return Directive.Stop;
        });

    /// <summary>Create a run's root; <paramref name="Created"/> is called with it, synchronously, on the lane's thread.</summary>
    internal sealed record StartRoot(SimContext Context, Props Props, string Name, Action<IActorRef> Created);
}
