using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace ActorKernel.Actors.Configuration;

/// <summary>The cost keys given a distribution, compared by content: settings bound twice from the same text are equal.</summary>
public sealed class VaryingCosts : IReadOnlyDictionary<string, CostDistribution>, IEquatable<VaryingCosts>
{
    private readonly SortedDictionary<string, CostDistribution> _map;

    public VaryingCosts(IEnumerable<KeyValuePair<string, CostDistribution>> entries)
    {
        _map = new SortedDictionary<string, CostDistribution>(StringComparer.Ordinal);
        foreach (var (key, value) in entries) _map.Add(key, value);
    }

    /// <summary>No key varies.</summary>
    public static readonly VaryingCosts None = new([]);

    public CostDistribution this[string key] => _map[key];

    public IEnumerable<string> Keys => _map.Keys;

    public IEnumerable<CostDistribution> Values => _map.Values;

    public int Count => _map.Count;

    public bool ContainsKey(string key) => _map.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out CostDistribution value) => _map.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, CostDistribution>> GetEnumerator() => _map.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(VaryingCosts? other) => other is not null && _map.SequenceEqual(other._map);

    public override bool Equals(object? obj) => Equals(obj as VaryingCosts);

    public override int GetHashCode() => _map.Count;

    public override string ToString() => "{" + string.Join(", ", _map.Select(kv => $"{kv.Key} = {kv.Value}")) + "}";
}
