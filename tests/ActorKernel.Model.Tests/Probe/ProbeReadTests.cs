namespace ActorKernel.Model.Tests.Probe;

// bpf_probe_read_user() → copy_from_user_nofault(); x86 do_user_addr_fault(): faulthandler_disabled() → -EFAULT.
public class ProbeReadTests
{
    private const ulong Start = Fixtures.Base;

    private static AddressSpace Mm(out Vma vma)
    {
        var mm = new AddressSpace(1);
        vma = Fixtures.AnonVma(Start, 4);
        mm.AddVma(vma);
        return mm;
    }

    [Fact]
    public void PresentPte_Reads()
    {
        var mm = Mm(out _);
        Fixtures.Write(mm, Start);
        Assert.Equal(new ProbeReadResult(true, null, 0, 1), ProbeRead.Walk(mm, Start + 10, 100));
    }

    [Fact]
    public void NeverTouched_IsNotMapped()
    {
        var mm = Mm(out _);
        var r = ProbeRead.Walk(mm, Start, 8);
        Assert.Equal(FailureCause.NotMapped, r.Cause);
        Assert.Equal("not-mapped", r.Cause!.Value.ToKebab());
    }

    [Fact]
    public void NoVma_IsBadAddress()
    {
        var mm = Mm(out _);
        var r = ProbeRead.Walk(mm, Start - Pages.Size, 8);
        Assert.Equal(FailureCause.BadAddress, r.Cause);
        Assert.Equal("bad-address", r.Cause!.Value.ToKebab());
    }

    // pte_present() is true for PROT_NONE on x86, but the access faults: the probe fails.
    [Fact]
    public void NumaHintPte_FailsAsProtNone()
    {
        var mm = Mm(out var vma);
        Fixtures.Write(mm, Start);
        mm.SetPte(vma.StartVpn, mm.GetPte(vma.StartVpn) with { State = PteState.ProtNone });

        var r = ProbeRead.Walk(mm, Start, 8);

        Assert.Equal(FailureCause.NumaProtNone, r.Cause);
        Assert.Equal("numa-protnone", r.Cause!.Value.ToKebab());
    }

    [Fact]
    public void Swapped_FailsAsSwappedOut()
    {
        var mm = Mm(out var vma);
        Fixtures.Write(mm, Start);
        mm.SetPte(vma.StartVpn, mm.GetPte(vma.StartVpn) with { State = PteState.Swapped });
        Assert.Equal("swapped-out", ProbeRead.Walk(mm, Start, 8).Cause!.Value.ToKebab());
    }

    // The first unreadable page decides; a read crossing into an unmapped page fails there.
    [Fact]
    public void CrossPageRead_FailsAtFirstUnreadablePage()
    {
        var mm = Mm(out _);
        Fixtures.Write(mm, Start);

        var r = ProbeRead.Walk(mm, Start + Pages.Size - 4, 8);

        Assert.False(r.Ok);
        Assert.Equal(2, r.PagesWalked);
        Assert.Equal(Start + Pages.Size, r.FaultingAddr);
        Assert.Equal(FailureCause.NotMapped, r.Cause);
    }

    [Fact]
    public void ForkSkippedPte_KebabName() =>
        Assert.Equal("fork-skipped-pte", FailureCause.ForkSkippedPte.ToKebab());
}
