namespace ActorKernel.Model;

/// <summary>Result of <see cref="ProbeRead.Walk"/>.</summary>
/// <param name="Ok">Every page of the range had a present PTE.</param>
/// <param name="Cause">Why the first unreadable page failed; null when Ok.</param>
/// <param name="FaultingAddr">First unreadable address (the range start or a page start); 0 when Ok.</param>
/// <param name="PagesWalked">Pages examined, including the failing one.</param>
public readonly record struct ProbeReadResult(bool Ok, FailureCause? Cause, ulong FaultingAddr, int PagesWalked)
{
    /// <summary>
    /// A fixed-size read failed at a page that lies wholly past the string's NUL: the string itself
    /// was readable, and bpf_probe_read_user_str() would have succeeded (docs/kernel-model.md §1.6).
    /// </summary>
    public bool PastString { get; init; }
}

/// <summary>bpf_probe_read_user() with page faults disabled.</summary>
public static class ProbeRead
{
    /// <summary>
    /// kernel/trace/bpf_trace.c bpf_probe_read_user() → copy_from_user_nofault(); on a fault,
    /// arch/x86/mm/fault.c do_user_addr_fault() sees faulthandler_disabled() and takes the
    /// exception fixup (-EFAULT) before any lock. Readable only through a Present PTE:
    /// PROT_NONE passes pte_present() but the hardware access still faults, and so does an old
    /// PTE on an MMU without hardware young management (<see cref="ArchCaps.FaultsOnOldPte"/>).
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

    /// <summary>
    /// bpf_probe_read_user(dst, <paramref name="readBytes"/>, ptr) of a string of
    /// <paramref name="stringBytes"/> bytes (NUL included): all or nothing over the whole size
    /// (copy_from_user_nofault() returns a remainder, bpf_probe_read_user_common() zeroes dst and
    /// returns -EFAULT; 6.8, 6.18), unlike bpf_probe_read_user_str() →
    /// strncpy_from_user_nofault(), which stops at the NUL. A failure whose first unreadable byte
    /// lies past the NUL is marked <see cref="ProbeReadResult.PastString"/>.
    /// </summary>
    public static ProbeReadResult WalkFixed(AddressSpace mm, ulong addr, int readBytes, int stringBytes)
    {
        ModelInvariantException.Check(stringBytes > 0, $"fixed probe read of a {stringBytes}-byte string at {addr:x}");
        var r = Walk(mm, addr, readBytes);
        return r.Ok ? r : r with { PastString = r.FaultingAddr >= addr + (ulong)stringBytes };
    }

    private static FailureCause? CauseAt(AddressSpace mm, ulong vpn, ulong at)
    {
        if (mm.FindVma(at) is null) return FailureCause.BadAddress;
        var pte = mm.GetPte(vpn);
        return pte.State switch
        {
            PteState.Present => pte.Old && mm.Arch.FaultsOnOldPte ? FailureCause.PteOld : null,
            PteState.ProtNone => FailureCause.NumaProtNone,
            PteState.Swapped => FailureCause.SwappedOut,
            _ => mm.ForkSkippedPages.Contains(vpn) ? FailureCause.ForkSkippedPte : FailureCause.NotMapped,
        };
    }
}
