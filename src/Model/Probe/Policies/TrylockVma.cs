namespace ActorKernel.Model;

public sealed partial class ProbePolicy
{
    /// <summary>As <see cref="TrylockMinor"/> with the per-VMA lock (mm/memory.c lock_vma_under_rcu(), 6.4+): fails while that VMA is write-locked.</summary>
    public static ProbePolicy TrylockVma { get; } = new()
    {
        Name = "trylock-vma",
        Summary = "the proposal with the per-VMA lock instead of the mmap lock (profiles with per-vma-locks)",
        Locks = ProbeLocking.VmaTrylock,
        Resolves = InPlaceFaults.Minor,
        Reads = ProbeReadPoint.AtEntry,
        Requires = [PolicyRequirement.PerVmaLocks],
        Reports = PolicyFigures.VmaLocks | PolicyFigures.WorkloadDelay,
    };
}
