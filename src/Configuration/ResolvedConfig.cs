namespace ActorKernel.Configuration;

/// <summary>The validated, merged values of one schema's block: every value typed through its key.</summary>
public sealed class ResolvedConfig
{
    private readonly IReadOnlyDictionary<string, ConfigEntry> _values;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<ConfigMapEntry>> _maps;

    internal ResolvedConfig(ConfigSchema schema, IReadOnlyDictionary<string, ConfigEntry> values, IReadOnlyDictionary<string, IReadOnlyList<ConfigMapEntry>> maps,
        IReadOnlyList<ConfigSource> sources)
    {
        Schema = schema;
        _values = values;
        _maps = maps;
        Sources = sources;
    }

    /// <summary>The layers' sources, lowest first (<see cref="ConfigSchema.Resolve(ResolvedConfig, IEnumerable{ConfigLayer}, bool)"/> resolves more layers on top).</summary>
    internal IReadOnlyList<ConfigSource> Sources { get; }

    internal IReadOnlyDictionary<string, ConfigEntry> Values => _values;

    internal IReadOnlyDictionary<string, IReadOnlyList<ConfigMapEntry>> Maps => _maps;

    public ConfigSchema Schema { get; }

    /// <summary>Every value set, sorted by key path.</summary>
    public IReadOnlyList<ConfigEntry> Entries => _values.Values.OrderBy(e => e.Path, StringComparer.Ordinal).ToList();

    /// <summary>The value of <paramref name="key"/>; the key must be set (a resolve with requireAll guarantees it).</summary>
    public T Get<T>(ConfigKey<T> key) =>
        TryGet(key, out var value) ? value : throw new InvalidOperationException($"'{key.Path}' is not set; resolve with requireAll");

    public bool TryGet<T>(ConfigKey<T> key, out T value)
    {
        value = default!;
        if (!_values.TryGetValue(key.Path, out var entry)) return false;
        // Every value was validated against its kind when its layer was walked.
        return key.Kind.TryParse(entry.Value, out value!) ? true : throw new InvalidOperationException($"'{key.Path}' failed to parse after validation");
    }

    /// <summary>The entry that set <paramref name="path"/>, or null.</summary>
    public ConfigEntry? Find(string path) => _values.GetValueOrDefault(path);

    /// <summary>The entries of a map block in the order written (empty if no layer has it).</summary>
    public IReadOnlyList<ConfigMapEntry> GetMap<T>(ConfigMapKey<T> key) =>
        _maps.TryGetValue(key.Path, out var entries) ? entries : [];
}
