namespace ActorKernel.Model;

/// <summary>
/// Swap slots (mm/swapfile.c get_swap_pages(), swap_free()): a swapped-out anonymous page holds one
/// until it is read back (the model frees the slot at swap-in, as a swap cache page under
/// vm_swap_full() pressure would) or its mm exits.
/// </summary>
public sealed class SwapSpace
{
    public SwapSpace(long totalPages)
    {
        ModelInvariantException.Check(totalPages >= 0, $"swap of {totalPages} pages");
        TotalPages = totalPages;
    }

    public long TotalPages { get; }

    public long UsedPages { get; private set; }

    public long FreePages => TotalPages - UsedPages;

    /// <summary>folio_alloc_swap() / get_swap_page(): false when swap is full or absent.</summary>
    public bool TryAllocate()
    {
        if (UsedPages >= TotalPages) return false;
        UsedPages++;
        return true;
    }

    public void Free()
    {
        ModelInvariantException.Check(UsedPages > 0, "swap_free() with no slot in use");
        UsedPages--;
    }
}
