namespace ActorKernel.Configuration.Tests;

public class HoconTextTests
{
    [Fact]
    public void Quoted_keys_keep_their_dots()
    {
        var config = HoconText.Parse("""sweep { "workload.fork-exec.spawn" = [fork, vfork], b = [1] }""", new ConfigSource("t"));

        var keys = config.Root.GetObject().Items["sweep"].GetObject().Items.Keys;

        Assert.Equal(["workload.fork-exec.spawn", "b"], keys);
    }

    [Theory]
    [InlineData("a.b.c", new[] { "a", "b", "c" })]
    [InlineData("experiment.sweep.\"workload.fork-exec.spawn\"", new[] { "experiment", "sweep", "workload.fork-exec.spawn" })]
    public void SplitPath_splits_outside_quotes(string path, string[] segments)
    {
        Assert.Equal(segments, HoconText.SplitPath(path));
    }

    [Theory]
    [InlineData("a..b")]
    [InlineData("")]
    [InlineData("a.\"b")]
    public void SplitPath_rejects_malformed_paths(string path)
    {
        Assert.Null(HoconText.SplitPath(path));
    }

    [Theory]
    [InlineData("fork", "fork")]
    [InlineData("6.18", "\"6.18\"")]
    [InlineData("a \"b\"", "\"a \\\"b\\\"\"")]
    public void Values_are_quoted_only_when_needed(string text, string hocon)
    {
        Assert.Equal(hocon, HoconText.Value(text));
    }

    [Fact]
    public void Comments_and_strings_do_not_count_as_brackets()
    {
        var config = HoconText.Parse("a = \"{[\" # }\nb = 1 // ]\nc = \"\"\"x\n}\"\"\"", new ConfigSource("t"));

        Assert.Equal("{[", config.GetString("a"));
        Assert.Equal(1, config.GetInt("b"));
    }

    [Fact]
    public void Levenshtein_counts_edits()
    {
        Assert.Equal(0, KeyDistance.Levenshtein("spawn", "spawn"));
        Assert.Equal(2, KeyDistance.Levenshtein("spwan", "spawn"));
        Assert.Equal(3, KeyDistance.Levenshtein("kitten", "sitting"));
        Assert.Equal("b.spawn", KeyDistance.Nearest("b.spwan", ["a.spawn", "b.spawn", "b.strings"]));
    }
}
