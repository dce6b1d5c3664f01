namespace ActorKernel.Configuration.Tests;

public class OverrideSyntaxTests
{
    private static readonly OverrideSyntax Syntax = new(DemoSchema.Roots, "log.colour", "blue!");

    private static ResolvedConfig Resolve(params string[] set) =>
        DemoSchema.Schema.Resolve([DemoSchema.Layer(DemoSchema.Defaults), Syntax.Layer(set, ConfigSource.Set)]);

    [Fact]
    public void A_key_without_a_root_is_under_the_first_root()
    {
        Assert.Equal("demo.size", Syntax.NormalizeKey("size"));
        Assert.Equal("demo.size", Syntax.NormalizeKey("demo.size"));
        Assert.Equal("other.size", Syntax.NormalizeKey("other.size"));
    }

    [Fact]
    public void Overrides_replace_the_layers_below()
    {
        var c = Resolve("size=3", "demo.log.colour = blue!");

        Assert.Equal(3, c.Get(DemoSchema.Size));
        Assert.Equal(DemoSchema.Colour.Blue, c.Get(DemoSchema.Paint));
        Assert.Equal("--set", c.Find("demo.size")!.Source.Name);
    }

    [Fact]
    public void An_assignment_without_equals_is_an_error_with_the_example()
    {
        var e = Assert.Throws<ConfigError>(() => Resolve("size"));

        Assert.Equal("malformed override 'size' in --set: expected key=value, e.g. log.colour=blue!", e.Message);
    }

    [Fact]
    public void A_malformed_key_path_is_an_error_with_the_example()
    {
        var e = Assert.Throws<ConfigError>(() => Resolve("log..colour=blue!"));

        Assert.Equal("malformed key 'demo.log..colour' in --set: expected a dotted key path such as demo.log.colour", e.Message);
    }

    [Fact]
    public void Values_are_verbatim_text_unless_a_list_or_a_quoted_string()
    {
        Assert.Equal("invalid value 'a } b' for demo.size in --set: expected an integer from 1 to 64", Assert.Throws<ConfigError>(() => Resolve("size=a } b")).Message);
        Assert.Equal(5, Resolve("size=\"5\"").Get(DemoSchema.Size));
        Assert.Equal(["x", "y"], Resolve("grid.\"a.b\"=[x, y]").GetMap(DemoSchema.Grid).Single().Value.Items);
    }
}
