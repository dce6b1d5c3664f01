using System.Text;
using Akka.Configuration.Hocon;

namespace ActorKernel.Configuration;

/// <summary>
/// Writes configuration back as HOCON that loads to the same values: a resolved block with its
/// keys sorted at every level (deterministic whatever the layers' order), or a raw block in the
/// order it was written (where the order means something, such as a sweep's axes).
/// </summary>
public static class ConfigRenderer
{
    private const string Indent = "  ";

    /// <summary>Every entry of <paramref name="config"/> as nested blocks under its schema's root, keys sorted ordinally.</summary>
    public static void WriteSorted(StringBuilder sb, ResolvedConfig config) =>
        WriteTree(sb, Tree(config.Entries), config.Schema.Root, 0);

    /// <summary>The block <paramref name="value"/> under <paramref name="key"/>, in the order written.</summary>
    public static void WriteAsWritten(StringBuilder sb, string key, HoconValue value) => WriteHocon(sb, key, value, 0);

    private sealed class Node
    {
        public SortedDictionary<string, Node> Children { get; } = new(StringComparer.Ordinal);
        public RawValue? Value { get; set; }
    }

    private static Node Tree(IEnumerable<ConfigEntry> entries)
    {
        var root = new Node();
        foreach (var entry in entries)
        {
            var node = root;
            foreach (var segment in entry.Path.Split('.').Skip(1))
            {
                if (!node.Children.TryGetValue(segment, out var child)) node.Children[segment] = child = new Node();
                node = child;
            }
            node.Value = entry.Value;
        }
        return root;
    }

    private static void WriteTree(StringBuilder sb, Node node, string key, int depth)
    {
        var pad = string.Concat(Enumerable.Repeat(Indent, depth));
        if (node.Value is { } value)
        {
            sb.Append(pad).Append(HoconText.Key(key)).Append(" = ").Append(HoconText.Value(value)).Append('\n');
            return;
        }
        sb.Append(pad).Append(HoconText.Key(key)).Append(" {\n");
        foreach (var (childKey, child) in node.Children) WriteTree(sb, child, childKey, depth + 1);
        sb.Append(pad).Append("}\n");
    }

    private static void WriteHocon(StringBuilder sb, string key, HoconValue value, int depth)
    {
        var pad = string.Concat(Enumerable.Repeat(Indent, depth));
        if (value.IsObject())
        {
            sb.Append(pad).Append(HoconText.Key(key)).Append(" {\n");
            foreach (var (childKey, child) in value.GetObject().Items) WriteHocon(sb, childKey, child, depth + 1);
            sb.Append(pad).Append("}\n");
            return;
        }
        sb.Append(pad).Append(HoconText.Key(key)).Append(" = ").Append(Scalar(value)).Append('\n');
    }

    private static string Scalar(HoconValue value) =>
        value.IsArray() ? "[" + string.Join(", ", value.GetArray().Select(Scalar)) + "]" : HoconText.Value(value.GetString());
}
