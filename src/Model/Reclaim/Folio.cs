namespace ActorKernel.Model;

/// <summary>Which LRU a folio belongs to (include/linux/mmzone.h enum lru_list, by folio_is_file_lru()).</summary>
public enum LruType
{
    /// <summary>Anonymous (swap-backed): reclaimable only to swap.</summary>
    Anon,
    /// <summary>Page cache.</summary>
    File,
}

/// <summary>
/// One page on a node's LRU (struct folio, order 0). Anonymous folios belong to one mm at one
/// virtual page (anonymous pages shared with a fork child are not tracked as shared); file folios
/// are a page of a file's page cache, mapped by any number of mms.
/// </summary>
public sealed class Folio
{
    private Folio(LruType type, int node, MemCgroup? memcg)
    {
        Type = type;
        Node = node;
        Memcg = memcg;
    }

    public static Folio Anonymous(AddressSpace mm, ulong vpn, int node, MemCgroup? memcg) =>
        new(LruType.Anon, node, memcg) { Mm = mm, Vpn = vpn };

    public static Folio PageCache(FileObject file, long page, int node, MemCgroup? memcg, bool exec) =>
        new(LruType.File, node, memcg) { File = file, FilePage = page, MappedExec = exec };

    public LruType Type { get; }

    /// <summary>The node whose lruvec holds it.</summary>
    public int Node { get; }

    /// <summary>The memory cgroup it is charged to (folio_memcg()); null for the root.</summary>
    public MemCgroup? Memcg { get; }

    public AddressSpace? Mm { get; private init; }

    public ulong Vpn { get; private init; }

    public FileObject? File { get; private init; }

    public long FilePage { get; private init; }

    /// <summary>Mapped by a VM_EXEC VMA: folio_referenced() reports VM_EXEC and reclaim keeps it active (mm/vmscan.c).</summary>
    public bool MappedExec { get; internal set; }

    /// <summary>PG_active.</summary>
    public bool Active { get; internal set; }

    /// <summary>
    /// PG_referenced (folio_mark_accessed(), folio_check_references()). The accessed bit is not kept
    /// here: it is each mapping PTE's (<see cref="Pte.Old"/>), which <see cref="Lruvec.FolioReferenced"/> walks.
    /// </summary>
    public bool Referenced { get; internal set; }

    internal LinkedListNode<Folio>? LruNode { get; set; }

    public override string ToString() => Type == LruType.Anon ? $"anon mm{Mm!.Id}:{Vpn:x}" : $"file {File!.Name}:{FilePage}";
}
