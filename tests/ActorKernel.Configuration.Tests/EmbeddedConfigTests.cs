namespace ActorKernel.Configuration.Tests;

public class EmbeddedConfigTests
{
    private static readonly System.Reflection.Assembly Assembly = typeof(EmbeddedConfigTests).Assembly;

    [Fact]
    public void Resources_are_discovered_by_prefix_and_suffix_in_ordinal_order()
    {
        Assert.Equal(["large", "small"], EmbeddedConfig.Names(Assembly, "Test.sizes.", ".conf"));
        Assert.Empty(EmbeddedConfig.Names(Assembly, "Test.none.", ".conf"));
    }

    [Fact]
    public void A_resource_is_read_as_text()
    {
        Assert.Equal("demo.size = 3\n", EmbeddedConfig.Read(Assembly, "Test.sizes.small.conf"));
    }

    [Fact]
    public void A_missing_resource_is_a_build_mistake_not_a_user_error()
    {
        Assert.Null(EmbeddedConfig.TryRead(Assembly, "Test.sizes.medium.conf"));
        var e = Assert.Throws<InvalidOperationException>(() => EmbeddedConfig.Read(Assembly, "Test.sizes.medium.conf"));
        Assert.Contains("Test.sizes.medium.conf", e.Message);
    }
}
