namespace ActorKernel.Configuration;

/// <summary>
/// A configuration value as written, before binding: a scalar's text or a list of scalars' texts.
/// Akka's HOCON reader hands every scalar over as text; the <see cref="SettingKind"/> of the key
/// decides what the text must look like.
/// </summary>
public sealed record RawValue
{
    private RawValue(string? text, IReadOnlyList<string>? items)
    {
        Text = text;
        Items = items;
    }

    /// <summary>The scalar text, or null for a list.</summary>
    public string? Text { get; }

    /// <summary>The list items, or null for a scalar.</summary>
    public IReadOnlyList<string>? Items { get; }

    /// <summary>A scalar; never null (a HOCON <c>null</c> is refused when read, so a message can name it).</summary>
    public static RawValue Scalar(string text) => new(text ?? throw new ArgumentNullException(nameof(text)), null);

    public static RawValue List(IReadOnlyList<string> items) => new(null, items ?? throw new ArgumentNullException(nameof(items)));

    /// <summary>The value as it would be written in HOCON (lists in brackets).</summary>
    public override string ToString() => Text ?? "[" + string.Join(", ", Items!) + "]";

    public bool Equals(RawValue? other) =>
        other is not null && Text == other.Text &&
        (Items is null ? other.Items is null : other.Items is not null && Items.SequenceEqual(other.Items));

    public override int GetHashCode() => Text?.GetHashCode(StringComparison.Ordinal) ?? Items!.Count;
}
