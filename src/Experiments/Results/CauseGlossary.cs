using ActorKernel.Model;

namespace ActorKernel.Experiments.Results;

/// <summary>The legend under the printed table: the causes that occur, each described by FailureCause.Describe().</summary>
public static class CauseGlossary
{
    /// <summary>Legend lines for the causes that occur in <paramref name="summaries"/>, in the table's vocabulary.</summary>
    public static IReadOnlyList<string> For(IReadOnlyList<PointSummary> summaries)
    {
        var seen = summaries.SelectMany(s => s.CausesByCount.Select(c => c.Key)).ToHashSet(StringComparer.Ordinal);
        var lines = Enum.GetValues<FailureCause>()
            .Where(c => seen.Contains(c.ToKebab()))
            .Select(c => $"  {c.ToKebab()}: {c.Describe()}")
            .ToList();
        if (summaries.Any(s => s.Skipped > 0))
            lines.Add("  unread argv: argv strings the probe could not locate because its read of the argv array failed");
        return lines;
    }
}
