namespace ActorKernel.Model;

/// <summary>
/// A node's classic LRU lists (struct lruvec: inactive/active × anon/file, include/linux/mmzone.h).
/// The head is the most recently added end; reclaim takes from the tail (lru_to_folio()).
/// One lruvec per node: a memory cgroup's reclaim walks it and picks its own folios, in the same
/// order its per-memcg lruvec would hold them.
/// </summary>
public sealed class Lruvec
{
    private readonly LinkedList<Folio>[] _lists = [new(), new(), new(), new()];

    public long Count(LruType type, bool active) => List(type, active).Count;

    /// <summary>lruvec_add_folio(): at the head of the list its flags name.</summary>
    public void Add(Folio f)
    {
        ModelInvariantException.Check(f.LruNode is null, $"{f}: already on an LRU");
        f.LruNode = List(f.Type, f.Active).AddFirst(f);
    }

    /// <summary>lruvec_del_folio().</summary>
    public void Remove(Folio f)
    {
        ModelInvariantException.Check(f.LruNode is not null, $"{f}: not on an LRU");
        List(f.Type, f.Active).Remove(f.LruNode!);
        f.LruNode = null;
    }

    /// <summary>Move to the head of the list for <paramref name="active"/> (activation, deactivation, rotation).</summary>
    public void MoveToHead(Folio f, bool active)
    {
        Remove(f);
        f.Active = active;
        Add(f);
    }

    /// <summary>Up to <paramref name="max"/> folios from the tail of a list, tail first (isolate_lru_folios()), optionally only one cgroup's.</summary>
    public IReadOnlyList<Folio> IsolateFromTail(LruType type, bool active, int max, MemCgroup? only)
    {
        var taken = new List<Folio>(Math.Min(max, 64));
        for (var n = List(type, active).Last; n is not null && taken.Count < max; n = n.Previous)
            if (only is null || n.Value.Memcg == only) taken.Add(n.Value);
        return taken;
    }

    /// <summary>
    /// mm/vmscan.c inactive_is_low() (6.8, 6.18; inactive_list_is_low() in 4.14): the inactive list
    /// is too short when inactive × inactive_ratio &lt; active, inactive_ratio = int_sqrt(10 × size in GiB), at least 1.
    /// </summary>
    public bool InactiveIsLow(LruType type)
    {
        long inactive = Count(type, false), active = Count(type, true);
        var gb = (inactive + active) >> (30 - Pages.Shift);
        var ratio = gb > 0 ? (long)Math.Sqrt(10.0 * gb) : 1;
        return inactive * ratio < active;
    }

    /// <summary>
    /// mm/rmap.c folio_referenced() → rmap_walk() → folio_referenced_one() (4.14 page_referenced_one(),
    /// 6.8, 6.18): every PTE of <paramref name="rmap"/> that maps the folio is tested and made old
    /// (ptep_clear_flush_young_notify()); returns how many were young (referenced_ptes). An anonymous folio
    /// is mapped by its one mm (sharing with a fork child is not tracked), a page-cache folio by every
    /// VMA of every mm that maps its page (rmap_walk_file()).
    /// </summary>
    public static int FolioReferenced(Folio f, IReadOnlyList<AddressSpace> rmap)
    {
        if (f.Type == LruType.Anon)
            return !f.Mm!.IsReleased && f.Mm.GetPte(f.Vpn).IsAnon && f.Mm.MakePteOld(f.Vpn) ? 1 : 0;
        var referenced = 0;
        foreach (var (mm, vpn) in Rmap.FileMappings(rmap, f.File!, f.FilePage))
            if (mm.MakePteOld(vpn)) referenced++;
        return referenced;
    }

    private LinkedList<Folio> List(LruType type, bool active) => _lists[(int)type * 2 + (active ? 1 : 0)];
}
