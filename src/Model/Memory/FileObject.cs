namespace ActorKernel.Model;

/// <summary>
/// An inode's page cache (struct address_space of a file), shared by every mm that
/// maps the file. Tracks per-page cache state and mapcount (PTEs across all mms).
/// </summary>
public sealed class FileObject
{
    private readonly PageCacheState[] _cache;
    private readonly int[] _mapCount;

    /// <param name="name">Path-like name, for reports.</param>
    /// <param name="pages">File size in pages.</param>
    /// <param name="initial">Initial cache state of every page (a program that has run is cached).</param>
    public FileObject(string name, int pages, PageCacheState initial = PageCacheState.Cached)
    {
        ModelInvariantException.Check(pages > 0, $"FileObject {name}: pages must be > 0, got {pages}");
        Name = name;
        Pages = pages;
        _cache = new PageCacheState[pages];
        Array.Fill(_cache, initial);
        _mapCount = new int[pages];
    }

    public string Name { get; }

    /// <summary>File size in pages.</summary>
    public int Pages { get; }

    public PageCacheState CacheState(long page) => _cache[Index(page)];

    public void SetCacheState(long page, PageCacheState state) => _cache[Index(page)] = state;

    /// <summary>In the page cache (with or without PG_readahead).</summary>
    public bool IsCached(long page) => _cache[Index(page)] != PageCacheState.NotCached;

    /// <summary>page_mapcount(): PTEs across all address spaces that map this page.</summary>
    public int MapCount(long page) => _mapCount[Index(page)];

    /// <summary>
    /// mm/truncate.c invalidate_mapping_pages() as used by POSIX_FADV_DONTNEED:
    /// a mapped page is skipped. Returns true when the page left the cache.
    /// </summary>
    public bool TryEvict(long page)
    {
        int i = Index(page);
        if (_mapCount[i] > 0) return false;
        _cache[i] = PageCacheState.NotCached;
        return true;
    }

    internal void Map(long page)
    {
        int i = Index(page);
        ModelInvariantException.Check(_cache[i] != PageCacheState.NotCached,
            $"{Name}: mapping page {page} that is not in the page cache");
        _mapCount[i]++;
    }

    internal void Unmap(long page)
    {
        int i = Index(page);
        ModelInvariantException.Check(_mapCount[i] > 0, $"{Name}: unmapping page {page} with mapcount 0");
        _mapCount[i]--;
    }

    private int Index(long page)
    {
        ModelInvariantException.Check(page >= 0 && page < Pages,
            $"{Name}: page {page} outside file of {Pages} pages");
        return (int)page;
    }

    public override string ToString() => Name;
}
