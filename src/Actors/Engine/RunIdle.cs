namespace ActorKernel.Actors.Engine;

/// <summary>
/// Told to the root when nothing is left to deliver and it has not completed: the root
/// completes (a run that ends when the machine goes quiet) or the run fails as stalled.
/// </summary>
public sealed class RunIdle
{
    public static readonly RunIdle Instance = new();

    private RunIdle()
    {
    }
}
