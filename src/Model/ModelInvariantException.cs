using System.Runtime.CompilerServices;
using System.Text;

namespace ActorKernel.Model;

/// <summary>
/// A model state machine reached a state the kernel it mirrors can never reach
/// (the model's analogue of a BUG_ON / VM_BUG_ON). The message names the event.
/// </summary>
public sealed class ModelInvariantException : Exception
{
    public ModelInvariantException(string message) : base(message) { }

    /// <summary>Throws when <paramref name="condition"/> is false.</summary>
    public static void Check([System.Diagnostics.CodeAnalysis.DoesNotReturnIf(false)] bool condition, string message)
    {
        if (!condition) throw new ModelInvariantException(message);
    }

    /// <summary>
    /// Throws when <paramref name="condition"/> is false. An interpolated message is only
    /// formatted then (like Debug.Assert): invariants are checked on every transition of hot
    /// paths, and building the text each time would cost more than the transition.
    /// </summary>
    public static void Check([System.Diagnostics.CodeAnalysis.DoesNotReturnIf(false)] bool condition, [InterpolatedStringHandlerArgument(nameof(condition))] ref FailureMessage message)
    {
        if (!condition) throw new ModelInvariantException(message.ToString());
    }

    /// <summary>Builds an invariant's message only when the invariant failed.</summary>
    [InterpolatedStringHandler]
    public ref struct FailureMessage
    {
        private readonly StringBuilder? _text;

        public FailureMessage(int literalLength, int formattedCount, bool condition, out bool shouldAppend)
        {
            shouldAppend = !condition;
            _text = condition ? null : new StringBuilder(literalLength + 16 * formattedCount);
        }

        public void AppendLiteral(string s) => _text?.Append(s);

        public void AppendFormatted<T>(T value) => _text?.Append(value);

        public void AppendFormatted<T>(T value, string? format) where T : IFormattable => _text?.Append(value.ToString(format, null));

        public override string ToString() => _text?.ToString() ?? "";
    }
}
