using Akka.Configuration.Hocon;

namespace ActorKernel.Configuration;

/// <summary>
/// Every key of one top-level block (<c>actor-kernel</c>, <c>experiment</c>) and the kind of value
/// it takes. <see cref="Resolve(IEnumerable{ConfigLayer}, bool)"/> validates each layer on its own, so an error names the layer
/// that made it, then merges the layers (a higher layer's value replaces a lower one's).
/// Akka's HOCON reads a missing key as 0; a schema makes a missing key an error instead.
/// </summary>
public sealed class ConfigSchema
{
    private readonly Dictionary<string, SettingKind> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SettingKind> _maps = new(StringComparer.Ordinal);
    private readonly HashSet<string> _blocks = new(StringComparer.Ordinal);

    public ConfigSchema(string root)
    {
        Root = root;
        _blocks.Add(root);
    }

    /// <summary>The top-level block this schema describes.</summary>
    public string Root { get; }

    /// <summary>Full paths of every key, in the order they were added.</summary>
    public IReadOnlyList<string> KeyPaths => _keys.Keys.ToList();

    /// <summary>Adds a key at <paramref name="relativePath"/> (below <see cref="Root"/>).</summary>
    public ConfigKey<T> Add<T>(string relativePath, SettingKind<T> kind)
    {
        var key = new ConfigKey<T>(Full(relativePath), kind);
        AddPath(key.Path, kind, _keys);
        return key;
    }

    /// <summary>Adds a block at <paramref name="relativePath"/> whose entries the user names.</summary>
    public ConfigMapKey<T> AddMap<T>(string relativePath, SettingKind<T> entryKind)
    {
        var key = new ConfigMapKey<T>(Full(relativePath), entryKind);
        AddPath(key.Path, entryKind, _maps);
        return key;
    }

    /// <summary>The kind of the key at <paramref name="fullPath"/>, or null if there is no such key.</summary>
    public SettingKind? FindKind(string fullPath) => _keys.GetValueOrDefault(fullPath);

    /// <summary>The key path nearest to <paramref name="fullPath"/> by edit distance, last segment first (<see cref="KeyDistance.NearestPath"/>).</summary>
    public string? NearestKey(string fullPath) => KeyDistance.NearestPath(fullPath, _keys.Keys);

    /// <summary>The "unknown key ..., did you mean ...?" error.</summary>
    public ConfigError UnknownKey(string fullPath, ConfigSource source) =>
        new($"unknown key '{UserText.Shorten(fullPath)}' in {source}" + UnknownKeyHint(fullPath));

    /// <summary>
    /// "; did you mean 'k'?" for a near key, else the keys of the deepest block the path names ("; actor-kernel.probe
    /// has attach, max-argv, …"), so a wrong guess is answered with what there is rather than an unrelated key.
    /// </summary>
    public string UnknownKeyHint(string fullPath)
    {
        if (NearestKey(fullPath) is { } near) return $"; did you mean '{near}'?";
        var block = fullPath;
        do block = block.LastIndexOf('.') is var dot and > 0 ? block[..dot] : "";
        while (block.Length > 0 && !_blocks.Contains(block));
        if (block.Length == 0) return "";
        // The next segment of every key below the block, in the order the keys were added.
        var names = _keys.Keys.Concat(_maps.Keys)
            .Where(k => k.StartsWith(block + ".", StringComparison.Ordinal))
            .Select(k => k[(block.Length + 1)..].Split('.')[0])
            .Distinct()
            .ToList();
        const int shown = 8;
        var list = string.Join(", ", names.Take(shown)) + (names.Count > shown ? $", … ({names.Count} in all)" : "");
        return $"; {block} has {list}";
    }

    /// <summary>The "invalid value ... expected ..." error.</summary>
    public static ConfigError InvalidValue(string fullPath, RawValue value, ConfigSource source, SettingKind kind) =>
        new($"invalid value '{value}' for {fullPath} in {source}: expected {kind.Expected}");

    /// <summary>
    /// Validates every layer's block against the schema and merges them, lowest first.
    /// With <paramref name="requireAll"/>, a key no layer sets is an error.
    /// </summary>
    public ResolvedConfig Resolve(IEnumerable<ConfigLayer> layers, bool requireAll = true) =>
        Resolve(new Dictionary<string, ConfigEntry>(StringComparer.Ordinal), new Dictionary<string, List<ConfigMapEntry>>(StringComparer.Ordinal), [], layers, requireAll);

    /// <summary>
    /// As <see cref="Resolve(IEnumerable{ConfigLayer}, bool)"/> of <paramref name="below"/>'s layers followed by
    /// <paramref name="layers"/>, without walking the lower layers again (a sweep resolves each point's
    /// overrides on top of the same stack): the same values, sources and errors.
    /// </summary>
    public ResolvedConfig Resolve(ResolvedConfig below, IEnumerable<ConfigLayer> layers, bool requireAll = true)
    {
        if (!ReferenceEquals(below.Schema, this)) throw new ArgumentException("resolved by another schema", nameof(below));
        return Resolve(new Dictionary<string, ConfigEntry>(below.Values, StringComparer.Ordinal),
            below.Maps.ToDictionary(m => m.Key, m => m.Value.ToList(), StringComparer.Ordinal), [.. below.Sources], layers, requireAll);
    }

    private ResolvedConfig Resolve(Dictionary<string, ConfigEntry> values, Dictionary<string, List<ConfigMapEntry>> maps, List<ConfigSource> sources,
        IEnumerable<ConfigLayer> layers, bool requireAll)
    {
        foreach (var layer in layers)
        {
            sources.Add(layer.Source);
            if (layer.Config.Root is not { } root || !root.IsObject()) continue;
            if (root.GetObject().Items.TryGetValue(Root, out var block))
                Walk(block, Root, layer.Source, values, maps);
        }
        if (requireAll)
        {
            foreach (var path in _keys.Keys)
            {
                if (!values.ContainsKey(path))
                    throw new ConfigError($"missing key '{path}': none of {string.Join(", ", sources)} sets it");
            }
        }
        return new ResolvedConfig(this, values, maps.ToDictionary(m => m.Key, m => (IReadOnlyList<ConfigMapEntry>)m.Value, StringComparer.Ordinal), sources);
    }

    private void Walk(HoconValue value, string path, ConfigSource source, Dictionary<string, ConfigEntry> values, Dictionary<string, List<ConfigMapEntry>> maps)
    {
        if (_maps.TryGetValue(path, out var entryKind))
        {
            if (!value.IsObject())
                throw new ConfigError($"{path} in {source} must be a block of \"key\" = value entries");
            if (!maps.TryGetValue(path, out var entries)) maps[path] = entries = [];
            foreach (var (key, entryValue) in value.GetObject().Items)
            {
                var entryPath = path + "." + HoconText.Key(key);
                var raw = Read(entryValue, entryPath, source, entryKind);
                if (!entryKind.Accepts(raw)) throw InvalidValue(entryPath, raw, source, entryKind);
                // HOCON merge: a key set again keeps its place, a new key goes last.
                var at = entries.FindIndex(e => e.Key == key);
                if (at >= 0) entries[at] = new ConfigMapEntry(key, raw, source);
                else entries.Add(new ConfigMapEntry(key, raw, source));
            }
            return;
        }
        if (value.IsObject())
        {
            if (_keys.TryGetValue(path, out var leafKind))
                throw new ConfigError($"invalid value for {path} in {source}: expected {leafKind.Expected}, not a block");
            var items = value.GetObject().Items;
            if (!_blocks.Contains(path))
                throw UnknownKey(items.Count == 0 ? path : FirstLeaf(value, path), source);
            foreach (var (key, child) in items)
                Walk(child, path + "." + HoconText.Key(key), source, values, maps);
            return;
        }
        if (!_keys.TryGetValue(path, out var kind))
        {
            if (_blocks.Contains(path))
                throw new ConfigError($"{path} in {source} is a block of settings, not a value");
            throw UnknownKey(path, source);
        }
        var rawValue = Read(value, path, source, kind);
        if (!kind.Accepts(rawValue)) throw InvalidValue(path, rawValue, source, kind);
        values[path] = new ConfigEntry(path, rawValue, source);
    }

    // Akka hands over `null` as a string value that is null, and `[]` as a value that is not an
    // array (IsArray is false when the list is empty): both are named here, never passed on.
    private static RawValue Read(HoconValue value, string path, ConfigSource source, SettingKind kind)
    {
        if (value.Values.Count == 0)
            throw new ConfigError($"{path} in {source} has no value");
        if (value.IsObject())
            throw new ConfigError($"invalid value for {path} in {source}: expected a value or a list, not a block");
        if (value.IsArray())
        {
            var items = new List<string>();
            foreach (var item in value.GetArray())
            {
                if (item.Values.Count == 0 || item.IsObject() || item.IsArray() || item.Values.Any(v => v is HoconArray))
                    throw new ConfigError($"invalid value for {path} in {source}: a list here holds plain values only");
                items.Add(item.GetString() ?? throw new ConfigError($"invalid value null in the list for {path} in {source}: expected {kind.Expected}"));
            }
            return RawValue.List(items);
        }
        if (value.Values.Any(v => v is HoconArray))
        {
            if (value.Values.All(v => v is HoconArray { Count: 0 } || (v is HoconLiteral l && string.IsNullOrWhiteSpace(l.Value))))
                return RawValue.List([]);
            throw new ConfigError($"invalid value for {path} in {source}: a list and text together; expected {kind.Expected}");
        }
        if (value.GetString() is { } text) return RawValue.Scalar(text);
        throw new ConfigError(value.IsString()
            ? $"invalid value null for {path} in {source}: expected {kind.Expected}"
            : $"invalid value for {path} in {source}: a block and text together; expected {kind.Expected}");
    }

    private static string FirstLeaf(HoconValue value, string path)
    {
        while (value.IsObject() && value.GetObject().Items.Count > 0)
        {
            var (key, child) = value.GetObject().Items.First();
            path += "." + HoconText.Key(key);
            value = child;
        }
        return path;
    }

    private string Full(string relativePath) => Root + "." + relativePath;

    private void AddPath(string path, SettingKind kind, Dictionary<string, SettingKind> into)
    {
        if (_keys.ContainsKey(path) || _maps.ContainsKey(path) || _blocks.Contains(path))
            throw new ArgumentException($"key '{path}' is already in the schema", nameof(path));
        into[path] = kind;
        for (var dot = path.LastIndexOf('.'); dot > 0; dot = path.LastIndexOf('.', dot - 1))
            _blocks.Add(path[..dot]);
    }
}
