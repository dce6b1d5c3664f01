using ActorKernel.Model;

namespace ActorKernel.Experiments.Results;

/// <summary>The legend under the printed table: the causes that occur, each described by FailureCause.Describe().</summary>
public static class CauseGlossary
{
    /// <summary>Legend lines for the causes that occur in <paramref name="summaries"/>, in the table's vocabulary.</summary>
    public static IReadOnlyList<string> For(IReadOnlyList<PointSummary> summaries) =>
        Entries(summaries).Select(e => $"  {e.Name}: {e.Description}").ToArray();

    /// <summary>The causes that occur in <paramref name="summaries"/>, name and description (the printed legend and report.html share them).</summary>
    public static IReadOnlyList<(string Name, string Description)> Entries(IReadOnlyList<PointSummary> summaries)
    {
        var seen = summaries.SelectMany(s => s.CausesByCount.Select(c => c.Key)).ToHashSet(StringComparer.Ordinal);
        var entries = Enum.GetValues<FailureCause>()
            .Where(c => seen.Contains(c.ToKebab()))
            .Select(c => (c.ToKebab(), c.Describe()))
            .ToList();
        if (summaries.Any(s => s.Skipped > 0))
            entries.Add(("unread argv", "argv strings the probe could not locate because its read of the argv array failed"));
        return entries;
    }
}
