namespace ActorKernel.Model;

/// <summary>A task's identity for last_cpupid: which task, on which node, last hint-faulted a page.</summary>
public readonly record struct CpuPid(int TaskId, int Node);

/// <summary>
/// The NUMA-balancing fields of one mm_struct and of its pages: numa_scan_offset, numa_scan_seq,
/// the per-VMA vma_numab_state (6.4+) and each page's last_cpupid (folio_xchg_last_cpupid).
/// Lookups only; nothing here is iterated, so no order depends on hashing.
/// </summary>
public sealed class MmNumaState
{
    private readonly Dictionary<Vma, VmaNumabState> _numab = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<ulong, CpuPid> _lastCpupid = new();

    /// <summary>mm->numa_scan_offset: where the next pass resumes.</summary>
    public ulong ScanOffset { get; set; }

    /// <summary>mm->numa_scan_seq: completed passes over the whole address space.</summary>
    public int ScanSeq { get; set; }

    /// <summary>vma->numab_state, or null before the scanner first met the VMA.</summary>
    public VmaNumabState? Numab(Vma vma) => _numab.GetValueOrDefault(vma);

    internal VmaNumabState CreateNumab(Vma vma, VmaNumabState state)
    {
        _numab.Add(vma, state);
        return state;
    }

    /// <summary>folio_xchg_last_cpupid(): records the new accessor, returns the previous one (null: never hint-faulted).</summary>
    public CpuPid? XchgLastCpupid(ulong vpn, CpuPid now)
    {
        CpuPid? old = _lastCpupid.TryGetValue(vpn, out var o) ? o : null;
        _lastCpupid[vpn] = now;
        return old;
    }

    /// <summary>reset_ptenuma_scan(): a pass reached the end of the address space.</summary>
    public void ResetScan()
    {
        ScanSeq++;
        ScanOffset = 0;
    }
}
