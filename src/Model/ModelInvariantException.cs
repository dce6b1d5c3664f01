namespace ActorKernel.Model;

/// <summary>
/// A model state machine reached a state the kernel it mirrors can never reach
/// (the model's analogue of a BUG_ON / VM_BUG_ON). The message names the event.
/// </summary>
public sealed class ModelInvariantException : Exception
{
    public ModelInvariantException(string message) : base(message) { }

    /// <summary>Throws when <paramref name="condition"/> is false.</summary>
    public static void Check(bool condition, string message)
    {
        if (!condition) throw new ModelInvariantException(message);
    }
}
