namespace ActorKernel.Configuration.Tests;

public class ConfigErrorTests
{
    [Fact]
    public void A_message_is_collapsed_to_one_line()
    {
        var e = new ConfigError("bad value\n  for   demo.size\r\n");

        Assert.Equal("bad value for demo.size", e.Message);
    }

    [Fact]
    public void A_config_error_is_a_user_error()
    {
        Assert.IsAssignableFrom<UserError>(new ConfigError("x"));
    }
}
