using System.Text.RegularExpressions;
using ActorKernel.Actors.Configuration;
using ActorKernel.Configuration;
using static ActorKernel.Configuration.SettingKinds;
using ActorKernel.Model;

namespace ActorKernel.Experiments.Configuration;

/// <summary>
/// Validates and binds the <c>experiment</c> block of a <see cref="LoadedConfig"/>, with the same
/// machinery as the <c>actor-kernel</c> block: every error names the key and the layer it came from.
/// </summary>
public static partial class ExperimentBinder
{
    public const string Root = "experiment";

    // The defaults of the experiment block (src/Experiments/reference.conf), below every loaded layer.
    private static readonly Lazy<ConfigLayer> Reference = new(() => ConfigLayer.Parse(
        EmbeddedConfig.Read(typeof(ExperimentBinder).Assembly, "ActorKernel.Experiments.reference.conf"), new ConfigSource("experiment reference.conf"), [Root]));

    /// <summary>Every key of the experiment block.</summary>
    public static ConfigSchema Schema { get; } = new(Root);

    private static readonly ConfigKey<string> Name = Schema.Add("name", Text(NamePattern(), "a name of lower-case letters, digits and '-'"));
    /// <summary>The largest <c>experiment.seed</c>, 2^62 (the command line's --seed states the same range).</summary>
    public const long MaxSeed = 1L << 62;

    /// <summary>The most repetitions of a point and policy (the command line's --runs-per-point states the same range).</summary>
    public const int MaxRunsPerPoint = 100_000;

    private static readonly ConfigKey<long> Seed = Schema.Add("seed", Integer(0, MaxSeed));
    private static readonly ConfigKey<int> RunsPerPoint = Schema.Add("runs-per-point", Int32(1, MaxRunsPerPoint));
    private static readonly ConfigKey<IReadOnlyList<string>> Policies = Schema.Add("policies", ListOf(OneOf(ProbePolicy.Names)));
    private static readonly ConfigMapKey<IReadOnlyList<string>> Sweep = Schema.AddMap("sweep", ListOf(AnyText));

    /// <summary>
    /// Binds the experiment block. Every sweep key must be an <c>actor-kernel</c> key and every
    /// value valid for it, so a bad sweep fails here, before anything runs.
    /// </summary>
    public static ExperimentSettings Bind(LoadedConfig config)
    {
        var layers = config.Layers.Prepend(Reference.Value);
        var resolved = Schema.Resolve(layers);
        RefuseRepeats(resolved.Find(Policies.Path)!, "policy");
        return new ExperimentSettings
        {
            Name = resolved.Get(Name),
            Seed = resolved.Get(Seed),
            RunsPerPoint = resolved.Get(RunsPerPoint),
            Policies = resolved.Get(Policies).Select(ProbePolicy.Named).ToArray(),
            Sweep = BindSweep(resolved.GetMap(Sweep)),
        };
    }

    private static List<SweepAxis> BindSweep(IReadOnlyList<ConfigMapEntry> entries)
    {
        var axes = new List<SweepAxis>();
        foreach (var entry in entries)
        {
            var axis = BindAxis(entry);
            if (axes.Any(a => a.KeyPath == axis.KeyPath))
                throw new ConfigError($"sweep key '{entry.Key}' in {entry.Source} sweeps {axis.KeyPath} a second time");
            axes.Add(axis);
        }
        return axes;
    }

    // A policy or sweep value given twice would run the same runs twice and count them twice.
    private static void RefuseRepeats(ConfigEntry entry, string what)
    {
        var items = entry.Value.Items!;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            if (seen.TryGetValue(items[i], out var first))
                throw new ConfigError($"invalid value '{UserText.Shorten(entry.Value.ToString())}' for {entry.Path} in {entry.Source}: " +
                                      $"{what} '{items[i]}' is listed twice (items {first + 1} and {i + 1}); its runs would run again and be counted twice");
            seen[items[i]] = i;
        }
    }

    // A sweep key is an actor-kernel key path, with or without the "actor-kernel." prefix.
    private static SweepAxis BindAxis(ConfigMapEntry entry)
    {
        var keyPath = ExperimentLoader.Overrides.NormalizeKey(entry.Key);
        var target = ActorKernelSchema.Schema;
        if (!keyPath.StartsWith(ActorKernelSchema.Root + ".", StringComparison.Ordinal) || target.FindKind(keyPath) is not { } kind)
            throw new ConfigError(
                $"unknown sweep key '{UserText.Shorten(entry.Key)}' in {entry.Source}: a sweep key must be an actor-kernel key" +
                target.UnknownKeyHint(keyPath));
        var values = entry.Value.Items!;
        RefuseRepeats(new ConfigEntry(keyPath, entry.Value, entry.Source), "sweep value");
        foreach (var value in values)
        {
            if (!kind.Accepts(RawValue.Scalar(value)))
                throw new ConfigError($"invalid sweep value '{value}' for {keyPath} in {entry.Source}: expected {kind.Expected}");
        }
        return new SweepAxis(keyPath, values);
    }

    [GeneratedRegex("^[a-z0-9-]+$")]
    private static partial Regex NamePattern();
}
