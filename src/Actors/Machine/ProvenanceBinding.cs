using ActorKernel.Actors.Engine;
using ActorKernel.Model;
using Akka.Actor.Internal;

namespace ActorKernel.Actors.Machine;

/// <summary>
/// Gives a run's provenance log (when one is installed on the lane's thread) the run's virtual clock and
/// the actor and message being handled, so every recorded change says when and by whom.
/// </summary>
internal static class ProvenanceBinding
{
    public static void Bind(ProvenanceLog log, SimContext sim) =>
        log.Bind(() => sim.NowNs, () => InternalCurrentActorCellKeeper.Current is { } cell
            ? (cell.Self.Path.Name, cell.CurrentMessage?.GetType().Name ?? "-")
            : ("-", "-"));
}
