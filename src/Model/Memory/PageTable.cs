namespace ActorKernel.Model;

/// <summary>
/// The mm's page tables, keyed by virtual page number. Ordered enumeration is offered
/// only over a VPN range (a VMA), so no result depends on hash order. Writes here bypass
/// rmap accounting: install and clear PTEs through <see cref="AddressSpace.SetPte"/> and
/// <see cref="AddressSpace.ClearPte"/>, which keep file mapcounts in step.
/// </summary>
public sealed class PageTable
{
    private readonly Dictionary<ulong, Pte> _ptes = new();

    /// <summary>The entry for a page, or <see cref="Pte.Empty"/>.</summary>
    public Pte Get(ulong vpn) => _ptes.TryGetValue(vpn, out var pte) ? pte : Pte.Empty;

    /// <summary>Installs an entry; use <see cref="Clear"/> to make it none.</summary>
    public void Set(ulong vpn, Pte pte)
    {
        ModelInvariantException.Check(pte.State != PteState.None, $"PageTable.Set vpn {vpn:x}: use Clear for pte_none");
        ModelInvariantException.Check(!(pte.IsZeroPage && (pte.Writable || pte.IsAnon)),
            $"PageTable.Set vpn {vpn:x}: the zero page is never writable or anon");
        ModelInvariantException.Check(!(pte.IsAnon && pte.FilePage >= 0),
            $"PageTable.Set vpn {vpn:x}: anon PTE with file page {pte.FilePage}");
        _ptes[vpn] = pte;
    }

    public void Clear(ulong vpn) => _ptes.Remove(vpn);

    /// <summary>Entries that are not pte_none.</summary>
    public int PopulatedCount => _ptes.Count;

    /// <summary>Populated entries in [startVpn, endVpn), in ascending VPN order.</summary>
    public IEnumerable<(ulong Vpn, Pte Pte)> Range(ulong startVpn, ulong endVpn)
    {
        for (ulong vpn = startVpn; vpn < endVpn; vpn++)
        {
            if (_ptes.TryGetValue(vpn, out var pte)) yield return (vpn, pte);
        }
    }
}
