using System.Text;

namespace ActorKernel.Configuration.Tests;

public class ConfigRendererTests
{
    [Fact]
    public void A_resolved_block_is_written_with_keys_sorted_at_every_level()
    {
        var c = DemoSchema.Schema.Resolve([DemoSchema.Layer("demo { log { verbose = on, colour = \"blue!\" }\n size = 3 }")], requireAll: false);
        var sb = new StringBuilder();

        ConfigRenderer.WriteSorted(sb, c);

        Assert.Equal("demo {\n  log {\n    colour = \"blue!\"\n    verbose = on\n  }\n  size = 3\n}\n", sb.ToString());
    }

    [Fact]
    public void A_raw_block_keeps_the_order_written()
    {
        var layer = DemoSchema.Layer("""other { z = 1, "a.b" = [x, "y z"], m { k = v } }""");
        var sb = new StringBuilder();

        ConfigRenderer.WriteAsWritten(sb, "other", layer.Config.Root.GetObject().Items["other"]);

        Assert.Equal("other {\n  z = 1\n  \"a.b\" = [x, \"y z\"]\n  m {\n    k = v\n  }\n}\n", sb.ToString());
    }

    [Fact]
    public void The_written_text_resolves_to_the_same_values()
    {
        var first = DemoSchema.Schema.Resolve([DemoSchema.Layer(DemoSchema.Defaults), DemoSchema.Layer("demo.size = 12")]);
        var sb = new StringBuilder();
        ConfigRenderer.WriteSorted(sb, first);

        var again = DemoSchema.Schema.Resolve([DemoSchema.Layer(sb.ToString(), "written")]);

        Assert.Equal(first.Entries.Select(e => (e.Path, e.Value)), again.Entries.Select(e => (e.Path, e.Value)));
    }
}
