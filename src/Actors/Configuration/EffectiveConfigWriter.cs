using System.Text;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace ActorKernel.Actors.Configuration;

/// <summary>Writes the effective configuration as HOCON that loads back to the same settings.</summary>
internal static class EffectiveConfigWriter
{
    private const string Indent = "  ";

    public static string Write(ResolvedConfig actorKernel, Config experiment, IEnumerable<string> layerNames)
    {
        var sb = new StringBuilder();
        sb.Append("# Effective configuration, from ").Append(string.Join(" <- ", layerNames)).Append('\n');
        WriteTree(sb, Tree(actorKernel.Entries), ActorKernelSchema.Root, 0);
        if (experiment.Root is { } root && root.IsObject() && root.GetObject().Items.Count > 0)
            WriteHocon(sb, "experiment", root, 0);
        return sb.ToString();
    }

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
