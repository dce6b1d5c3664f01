namespace ActorKernel.Model;

public sealed partial class ProbePolicy
{
    /// <summary>
    /// The seed's proposal: on a missing/PROT_NONE PTE, mmap_read_trylock(); contended → fail;
    /// major → fail; anonymous first touch → fail unless probe.allow-alloc; else resolve the minor
    /// fault in place holding the read lock.
    /// </summary>
    public static ProbePolicy TrylockMinor { get; } = new()
    {
        Name = "trylock-minor",
        Summary = "the seed's proposal: trylock the mmap lock, resolve minor faults in place, fail when contended or major",
        Locks = ProbeLocking.MmapTrylock,
        Resolves = InPlaceFaults.Minor,
        Reads = ProbeReadPoint.AtEntry,
        Reports = PolicyFigures.MmapTrylocks | PolicyFigures.WorkloadDelay,
    };
}
