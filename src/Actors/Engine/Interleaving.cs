namespace ActorKernel.Actors.Engine;

/// <summary>How events scheduled for the same virtual instant are ordered.</summary>
public enum Interleaving
{
    /// <summary>By a tiebreak drawn from the run's seeded generator when the event is scheduled: explores races.</summary>
    Random,
    /// <summary>In the order they were scheduled.</summary>
    Fifo,
}
