namespace ActorKernel.Model.Tests.Probe;

// bpf_probe_read_user(dst, N, ptr) (kernel/trace/bpf_trace.c bpf_probe_read_user_common(), 6.8, 6.18):
// copy_from_user_nofault() of N bytes, all or nothing, dst zeroed on failure; bpf_probe_read_user_str()
// → strncpy_from_user_nofault() stops at the NUL (kernel-model.md §1.6).
public class FixedReadTests
{
    private const ulong Start = Fixtures.Base;

    // A 10-byte path ending 6 bytes before the end of a present page, followed by a never-touched page.
    private static (AddressSpace Mm, ulong Path) PathNearPageEnd()
    {
        var mm = new AddressSpace(1);
        mm.AddVma(Fixtures.AnonVma(Start, 2));
        Fixtures.Write(mm, Start);
        return (mm, Start + Pages.Size - 16);
    }

    [Fact]
    public void StrRead_StopsAtTheNul_AndSucceeds()
    {
        var (mm, path) = PathNearPageEnd();
        var read = new PlannedRead("path", path, 10) { IsString = true };
        Assert.True(ReadSizeRule.Str.Walk(mm, read).Ok);
    }

    [Fact]
    public void FixedRead_FailsAtTheNextPage_WithItsCause_AndPastString()
    {
        var (mm, path) = PathNearPageEnd();
        var read = new PlannedRead("path", path, 10) { IsString = true };
        var r = new ReadSizeRule(ProbeReadSize.Fixed, 255).Walk(mm, read);
        Assert.False(r.Ok);
        Assert.Equal(FailureCause.NotMapped, r.Cause);
        Assert.Equal(Start + Pages.Size, r.FaultingAddr);
        Assert.True(r.PastString);
    }

    [Fact]
    public void FixedRead_OfAnUnreadableString_IsNotPastString()
    {
        var mm = new AddressSpace(1);
        mm.AddVma(Fixtures.AnonVma(Start, 2));
        var r = ProbeRead.WalkFixed(mm, Start + 8, 255, 10);
        Assert.Equal(FailureCause.NotMapped, r.Cause);
        Assert.False(r.PastString);
    }

    [Fact]
    public void FixedRead_WithinOnePresentPage_Succeeds()
    {
        var (mm, _) = PathNearPageEnd();
        Assert.True(ProbeRead.WalkFixed(mm, Start, 255, 10).Ok);
    }

    [Fact]
    public void FixedSize_AppliesOnlyToStringTargets()
    {
        var rule = new ReadSizeRule(ProbeReadSize.Fixed, 255);
        Assert.Equal(255, rule.BytesOf(new PlannedRead("filename", Start, 14) { IsString = true }));
        Assert.Equal(32, rule.BytesOf(new PlannedRead("argv-array", Start, 32)));
        Assert.Equal(14, ReadSizeRule.Str.BytesOf(new PlannedRead("filename", Start, 14) { IsString = true }));
    }

    [Fact]
    public void ExecveReadPlan_MarksFilenameAndArgvAsStrings()
    {
        var args = new ExecveArgs(new UserString(Start, 14), Start + 64, [new UserString(Start + 14, 5)]);
        var plan = args.ReadPlan(8);
        Assert.True(plan.Reads[0].IsString);
        Assert.False(plan.Reads[1].IsString);
        Assert.True(plan.Reads[1].Then[0].IsString);
    }
}
