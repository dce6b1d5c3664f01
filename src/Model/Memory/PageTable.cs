namespace ActorKernel.Model;

/// <summary>
/// The mm's page tables, keyed by virtual page number. Ordered enumeration is offered
/// only over a VPN range (a VMA), so no result depends on hash order. Writes here bypass
/// rmap accounting: install and clear PTEs through <see cref="AddressSpace.SetPte"/> and
/// <see cref="AddressSpace.ClearPte"/>, which keep file mapcounts in step.
/// </summary>
public sealed class PageTable
{
    // Two levels, like the kernel's PMD → PTE page: a 512-entry table per 2 MiB of address space,
    // allocated on first use. Range() then visits only populated tables, in address order.
    private readonly Dictionary<ulong, PteTable> _tables = new();
    private int _populated;

    public Pte Get(ulong vpn)
    {
        if (!_tables.TryGetValue(vpn >> PmdShift, out var table)) return Pte.Empty;
        var pte = table.Entries[(int)(vpn & PmdMask)];
        return pte.State == PteState.None ? Pte.Empty : pte;
    }

    public void Set(ulong vpn, Pte pte)
    {
        ModelInvariantException.Check(pte.State != PteState.None, $"PageTable.Set vpn {vpn:x}: use Clear for pte_none");
        ModelInvariantException.Check(!(pte.IsZeroPage && (pte.Writable || pte.IsAnon)),
            $"PageTable.Set vpn {vpn:x}: the zero page is never writable or anon");
        ModelInvariantException.Check(!(pte.IsAnon && pte.FilePage >= 0),
            $"PageTable.Set vpn {vpn:x}: anon PTE with file page {pte.FilePage}");
        if (!_tables.TryGetValue(vpn >> PmdShift, out var table))
        {
            table = _freeTables is { Count: > 0 } free ? free.Pop() : new PteTable();
            _tables.Add(vpn >> PmdShift, table);
        }
        ref var slot = ref table.Entries[(int)(vpn & PmdMask)];
        if (slot.State == PteState.None)
        {
            table.Count++;
            _populated++;
        }
        slot = pte;
    }

    public void Clear(ulong vpn)
    {
        if (!_tables.TryGetValue(vpn >> PmdShift, out var table)) return;
        ref var slot = ref table.Entries[(int)(vpn & PmdMask)];
        if (slot.State == PteState.None) return;
        slot = default;
        _populated--;
        // free_pte_range(): an empty PTE page is given back.
        if (--table.Count != 0) return;
        _tables.Remove(vpn >> PmdShift);
        if ((_freeTables ??= new()).Count < FreeTablesMax) _freeTables.Push(table);
    }

    public int PopulatedCount => _populated;

    /// <summary>The populated PTEs in [startVpn, endVpn), in address order. Do not change the table while enumerating.</summary>
    public IEnumerable<(ulong Vpn, Pte Pte)> Range(ulong startVpn, ulong endVpn)
    {
        if (endVpn <= startVpn) yield break;
        for (var pmd = startVpn >> PmdShift; pmd <= (endVpn - 1) >> PmdShift; pmd++)
        {
            if (!_tables.TryGetValue(pmd, out var table)) continue;
            var first = Math.Max(startVpn, pmd << PmdShift);
            var last = Math.Min(endVpn, (pmd + 1) << PmdShift);
            for (var vpn = first; vpn < last; vpn++)
            {
                var pte = table.Entries[(int)(vpn & PmdMask)];
                if (pte.State != PteState.None) yield return (vpn, pte);
            }
        }
    }

    /// <summary>
    /// The first populated PTE in [<paramref name="vpn"/>, <paramref name="endVpn"/>), or <paramref name="endVpn"/>
    /// if there is none: a cursor for walks that change PTEs as they go (zap, copy, change_prot_numa), where
    /// <see cref="Range"/> would need a copy of what it visits. Each call looks its PTE page up afresh.
    /// </summary>
    public ulong NextPopulated(ulong vpn, ulong endVpn, out Pte pte)
    {
        while (vpn < endVpn)
        {
            var pmd = vpn >> PmdShift;
            var tableEnd = Math.Min(endVpn, (pmd + 1) << PmdShift);
            if (_tables.TryGetValue(pmd, out var table))
            {
                var entries = table.Entries;
                for (; vpn < tableEnd; vpn++)
                {
                    pte = entries[(int)(vpn & PmdMask)];
                    if (pte.State != PteState.None) return vpn;
                }
            }
            vpn = tableEnd;
        }
        pte = Pte.Empty;
        return endVpn;
    }

    // An emptied PTE page is all pte_none again, as a new one is: each thread keeps a few for the
    // next page table, so a run that forks and exits over and over (one child mm per exec) does not
    // allocate 12 KB arrays per exec. Per thread because a lane drives one run on one thread.
    [ThreadStatic]
    private static Stack<PteTable>? _freeTables;

    private const int FreeTablesMax = 64;

    private const int PmdShift = 9;
    private const ulong PmdMask = (1UL << PmdShift) - 1;

    private sealed class PteTable
    {
        public readonly Pte[] Entries = new Pte[1 << PmdShift];
        public int Count;
    }
}
