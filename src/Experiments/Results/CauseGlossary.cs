using ActorKernel.Model;

namespace ActorKernel.Experiments.Results;

/// <summary>One line per failure cause, for the legend under the printed table (docs/results.md has the full table).</summary>
public static class CauseGlossary
{
    public static string Describe(FailureCause cause) => cause switch
    {
        FailureCause.ForkSkippedPte => "resident and mapped in the parent, but fork() did not copy the PTE (vma_needs_copy) and the child has not touched it",
        FailureCause.NotMapped => "no PTE: never mapped in this address space (a minor or major fault away)",
        FailureCause.NumaProtNone => "the PTE was made PROT_NONE by NUMA balancing (pagemap still says present)",
        FailureCause.SwappedOut => "the page is on swap (a major fault)",
        FailureCause.BadAddress => "no VMA covers the address",
        FailureCause.MmapLockContended => "the policy's down_read_trylock(mmap_lock) failed: a writer held it or waited",
        FailureCause.VmaLocked => "the policy's per-VMA lock was write-locked (fork, mprotect, munmap of that VMA)",
        FailureCause.MajorFault => "the policy refused a major fault (page not in the page cache, or swapped)",
        FailureCause.NeedsAlloc => "the policy refused an anonymous first touch (it would allocate; probe.allow-alloc is off)",
        _ => cause.ToKebab(),
    };

    /// <summary>Legend lines for the causes that occur in <paramref name="summaries"/>, in the table's vocabulary.</summary>
    public static IReadOnlyList<string> For(IReadOnlyList<PointSummary> summaries)
    {
        var seen = summaries.SelectMany(s => s.CausesByCount.Select(c => c.Key)).ToHashSet(StringComparer.Ordinal);
        var lines = Enum.GetValues<FailureCause>()
            .Where(c => seen.Contains(c.ToKebab()))
            .Select(c => $"  {c.ToKebab()}: {Describe(c)}")
            .ToList();
        if (summaries.Any(s => s.Skipped > 0))
            lines.Add("  unread argv: argv strings the probe could not locate because its read of the argv array failed");
        return lines;
    }
}
