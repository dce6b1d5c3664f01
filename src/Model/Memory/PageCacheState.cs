namespace ActorKernel.Model;

/// <summary>State of one page of a file in the page cache.</summary>
public enum PageCacheState
{
    /// <summary>Not in the page cache: a fault on it is major (filemap_fault does I/O).</summary>
    NotCached,
    /// <summary>Cached and uptodate.</summary>
    Cached,
    /// <summary>Cached and carrying PG_readahead: fault-around (next_uptodate_folio) skips it.</summary>
    ReadaheadMarker,
}
