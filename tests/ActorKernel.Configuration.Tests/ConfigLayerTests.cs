namespace ActorKernel.Configuration.Tests;

public class ConfigLayerTests
{
    [Theory]
    [InlineData("demo { size = 5", "the '{' opened at line 1 is never closed")]
    [InlineData("demo.size = 5\n}\ndemo.log.verbose = on", "'}' at line 2 closes nothing")]
    [InlineData("demo { a = [1 }", "'}' at line 1 does not match the '[' opened at line 1")]
    [InlineData("demo.name = \"abc", "the string opened at line 1 is never closed")]
    [InlineData("include \"other.conf\"", "include at line 1 is not supported (Akka's include is unreliable): write the settings in this file")]
    [InlineData("demo.size = :", "Unknown token at position")]
    [InlineData("demo.size = @x", "'@' at line 1 must be inside a quoted string")]
    [InlineData("demo.size = ${demo.size}", "substitution ${...} at line 1 is not supported")]
    [InlineData("demo.size = [1, a=b]", "'=' at line 1 is inside a list")]
    public void Malformed_hocon_names_the_source_and_the_problem(string text, string problem)
    {
        var e = Assert.Throws<ConfigError>(() => DemoSchema.Layer(text));

        Assert.StartsWith("malformed HOCON in demo.conf: ", e.Message);
        Assert.Contains(problem, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void An_unknown_top_level_block_lists_the_allowed_ones()
    {
        var e = Assert.Throws<ConfigError>(() => DemoSchema.Layer("dmeo.size = 1"));

        Assert.Equal("unknown top-level block 'dmeo' in demo.conf: only 'demo' and 'other' are allowed; did you mean 'demo'?", e.Message);
    }

    [Fact]
    public void With_one_allowed_block_the_message_says_so()
    {
        var e = Assert.Throws<ConfigError>(() => ConfigLayer.Parse("x.y = 1", new ConfigSource("f"), ["demo"]));

        Assert.Equal("unknown top-level block 'x' in f: only 'demo' is allowed; did you mean 'demo'?", e.Message);
    }

    [Fact]
    public void A_file_that_does_not_exist_is_named()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "x.conf");

        var e = Assert.Throws<ConfigError>(() => ConfigLayer.Load(path, "settings file", DemoSchema.Roots));

        Assert.Equal($"settings file '{path}' does not exist", e.Message);
    }

    [Fact]
    public void A_file_is_named_by_its_path()
    {
        var path = Path.Combine(Path.GetTempPath(), "actorkernel-layer-" + Guid.NewGuid().ToString("N") + ".conf");
        File.WriteAllText(path, "demo.size = 4");
        try
        {
            var layer = ConfigLayer.Load(path, "settings file", DemoSchema.Roots);

            Assert.Equal(path, layer.Source.Name);
            Assert.Equal(4, layer.Config.GetInt("demo.size"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
