namespace ActorKernel.Configuration;

/// <summary>
/// A mistake in the user's configuration: an unknown key, a wrong type, a value out of range,
/// a missing key or malformed HOCON. The message is one line naming the key, the source and
/// what was expected.
/// </summary>
public sealed class ConfigError : UserError
{
    public ConfigError(string message)
        : base(OneLine(message))
    {
    }

    /// <summary>Collapses line breaks and runs of whitespace so a message stays on one line.</summary>
    public static string OneLine(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
