namespace ActorKernel.Model;

/// <summary>
/// One recorded change, in the order the run made it: when (virtual ns), which actor was handling
/// which message, what (<see cref="Kind"/>), on which mm and page, and the details in kernel terms.
/// </summary>
/// <param name="Seq">Position in the run's record (0, 1, …).</param>
/// <param name="AtNs">Virtual time.</param>
/// <param name="Actor">The actor that made the change (its name), or "-" outside any actor.</param>
/// <param name="Message">The message it was handling (type name), or "-".</param>
/// <param name="Kind">What happened.</param>
/// <param name="MmId">The mm (for locks: the mm the mmap_lock belongs to, -1 when unknown).</param>
/// <param name="Vpn">The page (0 for locks).</param>
/// <param name="Old">The PTE before (PteSet, PteCleared), else default.</param>
/// <param name="New">The PTE after (PteSet), else default.</param>
/// <param name="Detail">Kind-specific facts as "key=value" pairs, in a fixed order.</param>
public sealed record ProvenanceEvent(
    int Seq, long AtNs, string Actor, string Message, ProvenanceKind Kind, int MmId, ulong Vpn, Pte Old, Pte New,
    IReadOnlyList<KeyValuePair<string, string>> Detail)
{
    /// <summary>The value of a detail key, or null.</summary>
    public string? Get(string key) => Detail.FirstOrDefault(d => d.Key == key).Value;
}
