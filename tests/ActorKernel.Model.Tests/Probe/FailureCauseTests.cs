namespace ActorKernel.Model.Tests.Probe;

public class FailureCauseTests
{
    // A new cause needs its results name and its legend line in FailureCause.cs: this fails until it has both.
    [Fact]
    public void EveryCause_HasADistinctKebabName_AndADescription()
    {
        var causes = Enum.GetValues<FailureCause>();
        Assert.Equal(causes.Length, causes.Select(c => c.ToKebab()).Distinct(StringComparer.Ordinal).Count());
        Assert.All(causes, c => Assert.Matches("^[a-z]+(-[a-z]+)*$", c.ToKebab()));
        Assert.All(causes, c => Assert.False(string.IsNullOrWhiteSpace(c.Describe())));
    }
}
