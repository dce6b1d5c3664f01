using System.Text;
using ActorKernel.Configuration;
using Akka.Configuration;

namespace ActorKernel.Experiments.Configuration;

/// <summary>Writes <c>effective.conf</c>: the effective configuration of an experiment as HOCON that loads back to the same settings.</summary>
internal static class EffectiveConfigWriter
{
    /// <summary>A header naming the layers, the resolved <c>actor-kernel</c> block (keys sorted), then the <c>experiment</c> block as written.</summary>
    public static string Write(ResolvedConfig actorKernel, Config experiment, IEnumerable<string> layerNames)
    {
        var sb = new StringBuilder();
        sb.Append("# Effective configuration, from ").Append(string.Join(" <- ", layerNames)).Append('\n');
        ConfigRenderer.WriteSorted(sb, actorKernel);
        if (experiment.Root is { } root && root.IsObject() && root.GetObject().Items.Count > 0)
            ConfigRenderer.WriteAsWritten(sb, ExperimentBinder.Root, root);
        return sb.ToString();
    }
}
