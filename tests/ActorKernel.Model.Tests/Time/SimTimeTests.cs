namespace ActorKernel.Model.Tests.Time;

public class SimTimeTests
{
    [Fact]
    public void FromMsAndUs_AreNanoseconds()
    {
        Assert.Equal(1_000_000, SimTime.FromMs(1).Ns);
        Assert.Equal(1_000, SimTime.FromUs(1).Ns);
        Assert.Equal(SimTime.FromMs(1), SimTime.Zero + 1_000_000);
    }

    [Fact]
    public void DurationConversions_AreNanoseconds_AndOverflowThrows()
    {
        Assert.Equal(250_000, SimTime.UsToNs(250));
        Assert.Equal(3_000_000, SimTime.MsToNs(3));
        Assert.Equal(2_000_000_000, SimTime.SToNs(2));
        Assert.Equal(SimTime.FromMs(7).Ns, SimTime.MsToNs(7));
        Assert.Throws<OverflowException>(() => SimTime.SToNs(long.MaxValue / 1_000));
    }

    [Fact]
    public void Comparison_And_Difference()
    {
        var a = SimTime.FromUs(5);
        var b = a + 10;
        Assert.True(a < b && b > a && a <= b && b >= a);
        Assert.Equal(10, b - a);
        Assert.True(a.CompareTo(b) < 0);
        Assert.Equal("1.234567 ms", new SimTime(1_234_567).ToString());
    }
}
