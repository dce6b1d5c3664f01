using System.Text;
using ActorKernel.Configuration;

namespace ActorKernel.Configuration.Tests;

/// <summary>The generic engine's side of issue 19: escaping, nesting and file limits, null and empty values, the key-aware suggestion.</summary>
public sealed class InputBoundaryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("actorkernel-boundary-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("plain ünïcode 😀", "plain ünïcode 😀")]
    [InlineData("a\u0000b\u0007c\u001b", @"a\u0000b\u0007c\u001B")]
    [InlineData("evil\u202Etxt.exe", @"evil\u202Etxt.exe")]
    [InlineData("zero\u200Bwidth\u2028line", @"zero\u200Bwidth\u2028line")]
    public void UserText_EscapesWhatCouldHideOrBreakALine(string text, string shown) =>
        Assert.Equal(shown, UserText.Escape(text));

    [Fact]
    public void UserText_EscapesALoneSurrogate_AndKeepsAPair() =>
        Assert.Equal(@"lone \uD800 surrogate 😀", UserText.Escape("lone \uD800 surrogate 😀"));

    [Fact]
    public void EveryUserError_IsEscaped() =>
        Assert.Equal(@"bad \u202E value", new ConfigError("bad \u202E value").Message);

    [Fact]
    public void Nesting_IsBoundedBeforeAkkasReader()
    {
        Assert.NotNull(HoconText.TryParse(string.Concat(Enumerable.Repeat("a.", 60)) + "b = 1", out _));
        Assert.Null(HoconText.TryParse(string.Concat(Enumerable.Repeat("a.", 64)) + "b = 1", out var dotted));
        Assert.Contains("nesting deeper than 64 levels", dotted);
        Assert.Null(HoconText.TryParse("a.b.c " + string.Concat(Enumerable.Repeat("{ x ", 63)) + new string('}', 63), out var mixed));
        Assert.Contains("nesting deeper than 64 levels", mixed);
    }

    [Fact]
    public void NullAndAnEmptyList_AreNamedByTheKey()
    {
        var schema = new ConfigSchema("demo");
        schema.Add("size", SettingKinds.Int32(1, 10));
        schema.Add("names", SettingKinds.ListOf(SettingKinds.AnyText));
        Assert.Equal("invalid value null for demo.size in t: expected an integer from 1 to 10",
            Assert.Throws<ConfigError>(() => schema.Resolve([ConfigLayer.Parse("demo { size = null, names = [a] }", new ConfigSource("t"), ["demo"])])).Message);
        Assert.Equal("invalid value '[]' for demo.names in t: expected a list of at least 1 of a text value",
            Assert.Throws<ConfigError>(() => schema.Resolve([ConfigLayer.Parse("demo { size = 1, names = [] }", new ConfigSource("t"), ["demo"])])).Message);
        Assert.Equal("invalid value null in the list for demo.names in t: expected a list of at least 1 of a text value",
            Assert.Throws<ConfigError>(() => schema.Resolve([ConfigLayer.Parse("demo { size = 1, names = [null] }", new ConfigSource("t"), ["demo"])])).Message);
    }

    [Fact]
    public void TheSuggestion_PrefersAKeyWithTheSameLastSegment()
    {
        string[] keys = ["k.costs.exec-ns", "k.workload.fork-exec.spawn", "k.workload.fork-exec.execs"];
        Assert.Equal("k.workload.fork-exec.spawn", KeyDistance.NearestPath("k.spawn", keys));
        Assert.Equal("k.workload.fork-exec.spawn", KeyDistance.NearestPath("k.workload.fork-exec.spwan", keys));
        Assert.Equal("k.costs.exec-ns", KeyDistance.NearestPath("k.exec-nss", keys));
        Assert.Null(KeyDistance.NearestPath("k." + new string('x', 1000), keys));
        Assert.Null(KeyDistance.NearestPath("k.costs.polcy", keys));
    }

    // With no near key the error lists the keys of the block the path names, not an unrelated key.
    [Fact]
    public void AnUnknownKeyWithNoNearOne_IsAnsweredWithItsBlocksKeys()
    {
        var schema = new ConfigSchema("k");
        schema.Add("probe.attach", SettingKinds.AnyText);
        schema.Add("probe.max-argv", SettingKinds.Int32(1, 64));
        schema.Add("probe.limits.bytes", SettingKinds.Int32(1, 64));
        schema.Add("memory.lru", SettingKinds.AnyText);
        Assert.Equal("unknown key 'k.probe.polcy' in t; k.probe has attach, max-argv, limits",
            schema.UnknownKey("k.probe.polcy", new ConfigSource("t")).Message);
        Assert.Equal("unknown key 'k.probe.max-argc' in t; did you mean 'k.probe.max-argv'?",
            schema.UnknownKey("k.probe.max-argc", new ConfigSource("t")).Message);
        Assert.Equal("unknown key 'k.nothing.here' in t; k has probe, memory",
            schema.UnknownKey("k.nothing.here", new ConfigSource("t")).Message);
    }

    [Fact]
    public void ConfigFile_RefusesWhatIsNotARegularFile_OrTooLarge_OrNotUtf8()
    {
        Assert.Equal($"f '{_dir}' is a folder, not a file", Assert.Throws<ConfigError>(() => ConfigFile.ReadText(_dir, "f")).Message);
        Assert.Equal("f '/dev/null' is a character device, not a regular file", Assert.Throws<ConfigError>(() => ConfigFile.ReadText("/dev/null", "f")).Message);

        var big = Path.Combine(_dir, "big.conf");
        File.WriteAllText(big, new string('#', ConfigFile.MaxBytes + 1));
        Assert.EndsWith("is larger than 1 MiB, the limit for a configuration file", Assert.Throws<ConfigError>(() => ConfigFile.ReadText(big, "f")).Message);
        File.WriteAllText(big, new string('#', ConfigFile.MaxBytes));
        Assert.Equal(ConfigFile.MaxBytes, ConfigFile.ReadText(big, "f").Length);

        var latin1 = Path.Combine(_dir, "latin1.conf");
        File.WriteAllBytes(latin1, [(byte)'a', 0xE9, (byte)'\n']);
        Assert.EndsWith("is not UTF-8 text (invalid byte at offset 1)", Assert.Throws<ConfigError>(() => ConfigFile.ReadText(latin1, "f")).Message);

        var bom = Path.Combine(_dir, "bom.conf");
        File.WriteAllBytes(bom, [.. Encoding.UTF8.GetPreamble(), (byte)'a']);
        Assert.Equal("a", ConfigFile.ReadText(bom, "f"));
    }
}
