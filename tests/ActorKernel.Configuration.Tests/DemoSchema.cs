using static ActorKernel.Configuration.SettingKinds;

namespace ActorKernel.Configuration.Tests;

/// <summary>A small schema of the tests' own, so the engine is tested without any kernel or experiment key.</summary>
internal static class DemoSchema
{
    public static readonly ConfigSchema Schema = new("demo");
    public static readonly ConfigKey<int> Size = Schema.Add("size", Int32(1, 64));
    public static readonly ConfigKey<bool> Verbose = Schema.Add("log.verbose", Flag);
    public static readonly ConfigKey<Colour> Paint = Schema.Add("log.colour", Enum<Colour>());
    public static readonly ConfigMapKey<IReadOnlyList<string>> Grid = Schema.AddMap("grid", ListOf(AnyText));

    public static readonly IReadOnlyList<string> Roots = ["demo", "other"];

    public static ConfigLayer Layer(string text, string name = "demo.conf") => ConfigLayer.Parse(text, new ConfigSource(name), Roots);

    public const string Defaults = "demo { size = 8, log { verbose = off, colour = dark-red } }";

    public enum Colour
    {
        DarkRed,
        [ConfigName("blue!")]
        Blue,
    }
}
