namespace ActorKernel.Configuration.Tests;

public class ConfigSchemaTests
{
    private static ConfigError Fails(params ConfigLayer[] layers)
    {
        var e = Assert.Throws<ConfigError>(() => DemoSchema.Schema.Resolve(layers));
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    [Fact]
    public void A_higher_layer_replaces_the_keys_it_sets()
    {
        var c = DemoSchema.Schema.Resolve([DemoSchema.Layer(DemoSchema.Defaults, "defaults"), DemoSchema.Layer("demo.size = 9")]);

        Assert.Equal(9, c.Get(DemoSchema.Size));
        Assert.False(c.Get(DemoSchema.Verbose));
        Assert.Equal("demo.conf", c.Find("demo.size")!.Source.Name);
        Assert.Equal("defaults", c.Find("demo.log.verbose")!.Source.Name);
    }

    [Fact]
    public void An_unknown_key_suggests_the_nearest()
    {
        Assert.Equal("unknown key 'demo.log.verbsoe' in demo.conf; did you mean 'demo.log.verbose'?", Fails(DemoSchema.Layer("demo.log.verbsoe = on")).Message);
    }

    [Fact]
    public void An_unknown_block_suggests_the_nearest_key_below_it()
    {
        Assert.Equal("unknown key 'demo.lgo.verbose' in demo.conf; did you mean 'demo.log.verbose'?", Fails(DemoSchema.Layer("demo.lgo.verbose = on")).Message);
    }

    [Fact]
    public void An_invalid_value_names_the_key_the_layer_and_what_was_expected()
    {
        Assert.Equal("invalid value '65' for demo.size in demo.conf: expected an integer from 1 to 64", Fails(DemoSchema.Layer("demo.size = 65")).Message);
    }

    [Fact]
    public void The_error_names_the_layer_that_made_it()
    {
        var e = Fails(DemoSchema.Layer(DemoSchema.Defaults, "defaults"), DemoSchema.Layer("demo.size = x", "upper.conf"));

        Assert.Equal("invalid value 'x' for demo.size in upper.conf: expected an integer from 1 to 64", e.Message);
    }

    [Fact]
    public void A_missing_key_names_every_layer()
    {
        var e = Fails(DemoSchema.Layer("demo.size = 3", "a.conf"), DemoSchema.Layer("demo.log.verbose = on", "b.conf"));

        Assert.Equal("missing key 'demo.log.colour': none of a.conf, b.conf sets it", e.Message);
    }

    [Fact]
    public void Without_require_all_missing_keys_are_fine()
    {
        var c = DemoSchema.Schema.Resolve([DemoSchema.Layer("demo.size = 3")], requireAll: false);

        Assert.False(c.TryGet(DemoSchema.Verbose, out _));
        Assert.Throws<InvalidOperationException>(() => c.Get(DemoSchema.Verbose));
    }

    [Fact]
    public void A_block_where_a_value_belongs_is_an_error()
    {
        Assert.Equal("invalid value for demo.size in demo.conf: expected an integer from 1 to 64, not a block", Fails(DemoSchema.Layer("demo.size { a = 1 }")).Message);
    }

    [Fact]
    public void A_value_where_a_block_belongs_is_an_error()
    {
        Assert.Equal("demo.log in demo.conf is a block of settings, not a value", Fails(DemoSchema.Layer("demo.log = loud")).Message);
    }

    [Fact]
    public void An_empty_value_is_an_error()
    {
        Assert.Equal("demo.size in demo.conf has no value", Fails(DemoSchema.Layer("demo.size = ")).Message);
    }

    [Fact]
    public void Other_roots_are_left_to_their_schemas()
    {
        var c = DemoSchema.Schema.Resolve([DemoSchema.Layer(DemoSchema.Defaults), DemoSchema.Layer("other.anything = 1")]);

        Assert.Equal(8, c.Get(DemoSchema.Size));
    }

    [Fact]
    public void A_map_block_keeps_the_written_order_and_a_key_set_again_keeps_its_place()
    {
        var c = DemoSchema.Schema.Resolve(
            [DemoSchema.Layer(DemoSchema.Defaults), DemoSchema.Layer("""demo.grid { "z.z" = [1], a = [2] }"""), DemoSchema.Layer("""demo.grid { "z.z" = [3], m = [4] }""", "up.conf")]);

        var grid = c.GetMap(DemoSchema.Grid);

        Assert.Equal(["z.z", "a", "m"], grid.Select(e => e.Key));
        Assert.Equal("[3]", grid[0].Value.ToString());
        Assert.Equal("up.conf", grid[0].Source.Name);
    }

    [Fact]
    public void A_map_entry_of_the_wrong_kind_is_an_error()
    {
        Assert.Equal(
            "invalid value 'x' for demo.grid.a in demo.conf: expected a list of at least 1 of a text value",
            Fails(DemoSchema.Layer("demo.grid { a = x }")).Message);
    }

    [Fact]
    public void A_key_cannot_be_added_twice()
    {
        var schema = new ConfigSchema("s");
        schema.Add("a.b", SettingKinds.Flag);

        Assert.Throws<ArgumentException>(() => schema.Add("a.b", SettingKinds.Flag));
        Assert.Throws<ArgumentException>(() => schema.Add("a", SettingKinds.Flag));
    }

    [Fact]
    public void Key_paths_are_listed_in_the_order_added()
    {
        Assert.Equal(["demo.size", "demo.log.verbose", "demo.log.colour"], DemoSchema.Schema.KeyPaths);
    }
}

public class ConfigSchemaOnTopTests
{
    private static readonly ConfigLayer Lower = DemoSchema.Layer(DemoSchema.Defaults + "\ndemo.grid { a = [x], b = [y] }", "defaults");

    [Fact]
    public void Resolving_on_top_of_a_resolved_stack_is_resolving_the_whole_stack()
    {
        var upper = DemoSchema.Layer("demo.size = 9\ndemo.grid { b = [z], c = [w] }", "sweep");
        var whole = DemoSchema.Schema.Resolve([Lower, upper]);
        var onTop = DemoSchema.Schema.Resolve(DemoSchema.Schema.Resolve([Lower]), [upper]);

        Assert.Equal(whole.Entries.Select(e => (e.Path, e.Value.ToString(), e.Source.Name)), onTop.Entries.Select(e => (e.Path, e.Value.ToString(), e.Source.Name)));
        Assert.Equal(whole.GetMap(DemoSchema.Grid).Select(e => (e.Key, e.Value.ToString(), e.Source.Name)), onTop.GetMap(DemoSchema.Grid).Select(e => (e.Key, e.Value.ToString(), e.Source.Name)));
        Assert.Equal(["a", "b", "c"], onTop.GetMap(DemoSchema.Grid).Select(e => e.Key));
    }

    [Fact]
    public void The_lower_stack_is_left_as_it_was()
    {
        var below = DemoSchema.Schema.Resolve([Lower]);
        DemoSchema.Schema.Resolve(below, [DemoSchema.Layer("demo.size = 9\ndemo.grid { d = [v] }", "sweep")]);

        Assert.NotEqual(9, below.Get(DemoSchema.Size));
        Assert.Equal(["a", "b"], below.GetMap(DemoSchema.Grid).Select(e => e.Key));
    }

    [Fact]
    public void An_error_on_top_names_the_upper_layer_and_a_missing_key_every_layer()
    {
        var partial = DemoSchema.Schema.Resolve([DemoSchema.Layer("demo.size = 3", "a.conf")], requireAll: false);

        Assert.Equal("invalid value 'x' for demo.size in sweep: expected an integer from 1 to 64",
            Assert.Throws<ConfigError>(() => DemoSchema.Schema.Resolve(DemoSchema.Schema.Resolve([Lower]), [DemoSchema.Layer("demo.size = x", "sweep")])).Message);
        Assert.Equal("missing key 'demo.log.colour': none of a.conf, b.conf sets it",
            Assert.Throws<ConfigError>(() => DemoSchema.Schema.Resolve(partial, [DemoSchema.Layer("demo.log.verbose = on", "b.conf")])).Message);
    }
}
