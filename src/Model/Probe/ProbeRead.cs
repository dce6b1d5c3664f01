namespace ActorKernel.Model;

/// <summary>Result of <see cref="ProbeRead.Walk"/>.</summary>
/// <param name="Ok">Every page of the range had a present PTE.</param>
/// <param name="Cause">Why the first unreadable page failed; null when Ok.</param>
/// <param name="FaultingAddr">First unreadable address (the range start or a page start); 0 when Ok.</param>
/// <param name="PagesWalked">Pages examined, including the failing one.</param>
public readonly record struct ProbeReadResult(bool Ok, FailureCause? Cause, ulong FaultingAddr, int PagesWalked);

/// <summary>bpf_probe_read_user() with page faults disabled.</summary>
public static class ProbeRead
{
    /// <summary>
    /// kernel/trace/bpf_trace.c bpf_probe_read_user() → copy_from_user_nofault(); on a fault,
    /// arch/x86/mm/fault.c do_user_addr_fault() sees faulthandler_disabled() and takes the
    /// exception fixup (-EFAULT) before any lock. Readable only through a Present PTE:
    /// PROT_NONE passes pte_present() but the hardware access still faults.
    /// </summary>
    public static ProbeReadResult Walk(AddressSpace mm, ulong addr, int lengthBytes)
    {
        var result = WalkPages(mm, addr, lengthBytes);
        ProvenanceLog.Current?.ProbeWalk(mm.Id, addr, lengthBytes, result);
        return result;
    }

    private static ProbeReadResult WalkPages(AddressSpace mm, ulong addr, int lengthBytes)
    {
        ModelInvariantException.Check(lengthBytes > 0, $"probe read of {lengthBytes} bytes at {addr:x}");
        ulong last = checked(addr + (ulong)lengthBytes - 1);
        int walked = 0;
        for (ulong vpn = Pages.Vpn(addr); vpn <= Pages.Vpn(last); vpn++)
        {
            walked++;
            ulong at = Math.Max(addr, Pages.AddrOf(vpn));
            var cause = CauseAt(mm, vpn, at);
            if (cause is not null) return new ProbeReadResult(false, cause, at, walked);
        }
        return new ProbeReadResult(true, null, 0, walked);
    }

    private static FailureCause? CauseAt(AddressSpace mm, ulong vpn, ulong at)
    {
        if (mm.FindVma(at) is null) return FailureCause.BadAddress;
        return mm.GetPte(vpn).State switch
        {
            PteState.Present => null,
            PteState.ProtNone => FailureCause.NumaProtNone,
            PteState.Swapped => FailureCause.SwappedOut,
            _ => mm.ForkSkippedPages.Contains(vpn) ? FailureCause.ForkSkippedPte : FailureCause.NotMapped,
        };
    }
}
