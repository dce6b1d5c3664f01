namespace ActorKernel.Model;

/// <summary>What a faulting probe policy may resolve in place (kernel-model.md §4, §5).</summary>
/// <param name="AllowMajor">May sleep on I/O (sleepable): a page-cache miss or a swap-in is resolved, not refused.</param>
/// <param name="AllowAlloc">May allocate (actor-kernel.probe.allow-alloc, or sleepable): an anonymous first touch is resolved.</param>
public readonly record struct InPlaceRules(bool AllowMajor, bool AllowAlloc)
{
    /// <summary>The seed's proposal: minor faults only; allocation per allow-alloc.</summary>
    public static InPlaceRules MinorOnly(bool allowAlloc) => new(false, allowAlloc);

    /// <summary>A full fault in a context that may sleep.</summary>
    public static InPlaceRules Full => new(true, true);
}

/// <summary>Result of <see cref="InPlaceFault.Read"/>.</summary>
/// <param name="Ok">Every page of the range is now present and was read.</param>
/// <param name="Cause">Why it stopped; null when Ok.</param>
/// <param name="PagesWalked">Pages examined.</param>
/// <param name="Faults">Faults resolved, in page order (their cost is the caller's to charge).</param>
public sealed record InPlaceReadResult(bool Ok, FailureCause? Cause, int PagesWalked, IReadOnlyList<FaultOutcome> Faults);

/// <summary>
/// A probe read that may handle its own faults, called with the lock the policy needs already
/// held (the mmap lock for read, or the VMA's per-VMA lock). Per page: present → read;
/// otherwise classify as handle_mm_fault() would (mm/memory.c) and refuse what the rules
/// forbid — a major fault (filemap_fault() would start I/O, do_swap_page() would read swap),
/// an anonymous first touch without allow-alloc (do_anonymous_page() may sleep in the page
/// allocator or allocating a page table) — else resolve it: a file read fault with
/// fault-around, a NUMA hint fault by restoring the PTE only (do_numa_page() without
/// migration: the probe runs on a CPU that says nothing about where the task runs).
/// Pages resolved before a refusal stay mapped, as they would in the kernel.
/// </summary>
public static class InPlaceFault
{
    public static InPlaceReadResult Read(AddressSpace mm, ulong addr, int lengthBytes, InPlaceRules rules, FaultOptions options)
    {
        ModelInvariantException.Check(lengthBytes > 0, $"in-place probe read of {lengthBytes} bytes at {addr:x}");
        ModelInvariantException.Check(options.MigrateToNode < 0, "a probe's in-place NUMA hint fault never migrates");
        ulong last = checked(addr + (ulong)lengthBytes - 1);
        var faults = new List<FaultOutcome>();
        int walked = 0;
        for (ulong vpn = Pages.Vpn(addr); vpn <= Pages.Vpn(last); vpn++)
        {
            walked++;
            ulong at = Math.Max(addr, Pages.AddrOf(vpn));
            var c = FaultModel.Classify(mm, at, AccessKind.Read);
            if (c.Kind == FaultKind.None) continue;
            if (!c.IsResolvable) return new InPlaceReadResult(false, FailureCause.BadAddress, walked, faults);
            if (c.Major && !rules.AllowMajor) return new InPlaceReadResult(false, FailureCause.MajorFault, walked, faults);
            if (c.Kind is FaultKind.AnonZeroPage or FaultKind.AnonAlloc && !rules.AllowAlloc)
                return new InPlaceReadResult(false, FailureCause.NeedsAlloc, walked, faults);
            faults.Add(FaultModel.Handle(mm, at, AccessKind.Read, options));
        }
        return new InPlaceReadResult(true, null, walked, faults);
    }
}
