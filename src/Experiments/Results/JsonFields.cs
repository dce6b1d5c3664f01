using System.Globalization;
using System.Text.Json;

namespace ActorKernel.Experiments.Results;

/// <summary>
/// One JSON object read strictly, for <see cref="RunRecordJson"/>: every field must be present and of
/// its kind, and every mistake is a one-line <see cref="FormatException"/> naming the field's path
/// (<c>metrics.timeline[3].migrationsToNode</c>). Maps come back sorted with the producers' comparers.
/// </summary>
internal sealed class JsonFields
{
    private readonly JsonElement _object;

    public JsonFields(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object) throw Wrong(path, element, "an object");
        _object = element;
        Path = path;
    }

    /// <summary>Where this object is in the line, for messages ("" for the line itself).</summary>
    public string Path { get; }

    /// <summary>Whether an optional field (one written only in some cases) is present.</summary>
    public bool Has(string name) => _object.TryGetProperty(name, out _);

    public bool IsNull(string name) => Field(name).ValueKind == JsonValueKind.Null;

    public long Long(string name) => Long(Field(name), At(name));

    public int Int(string name)
    {
        var e = Field(name);
        return e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v) ? v : throw Wrong(At(name), e, "a 32-bit integer");
    }

    public ulong ULong(string name)
    {
        var e = Field(name);
        return e.ValueKind == JsonValueKind.Number && e.TryGetUInt64(out var v) ? v : throw Wrong(At(name), e, "an unsigned integer");
    }

    public bool Bool(string name)
    {
        var e = Field(name);
        return e.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Wrong(At(name), e, "true or false"),
        };
    }

    public string String(string name)
    {
        var e = Field(name);
        return e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Wrong(At(name), e, "a string");
    }

    public byte[] Base64(string name)
    {
        var e = Field(name);
        return e.ValueKind == JsonValueKind.String && e.TryGetBytesFromBase64(out var bytes) ? bytes : throw Wrong(At(name), e, "base64");
    }

    public string? NullableString(string name) => IsNull(name) ? null : String(name);

    public JsonFields Object(string name) => new(Field(name), At(name));

    public JsonFields? NullableObject(string name) => IsNull(name) ? null : Object(name);

    public long[] Longs(string name) => Array(name).Select((e, i) => Long(e, $"{At(name)}[{i}]")).ToArray();

    public T[] Objects<T>(string name, Func<JsonFields, T> read) =>
        Array(name).Select((e, i) => read(new JsonFields(e, $"{At(name)}[{i}]"))).ToArray();

    /// <summary>A map of names to counts, sorted as the producers sort it (ordinal).</summary>
    public SortedDictionary<string, long> LongsByName(string name) => Map(name, StringComparer.Ordinal, key => key, (e, path) => Long(e, path));

    /// <summary>A map of names to objects, sorted as the producers sort it (ordinal).</summary>
    public SortedDictionary<string, T> ObjectsByName<T>(string name, Func<JsonFields, T> read) =>
        Map(name, StringComparer.Ordinal, key => key, (e, path) => read(new JsonFields(e, path)));

    /// <summary>A map of NUMA node numbers (written as property names) to counts.</summary>
    public SortedDictionary<int, long> LongsByNode(string name) => Map(name, Comparer<int>.Default,
        key => int.TryParse(key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var node)
            ? node
            : throw new FormatException($"{At(name)}: key \"{key}\" is not a node number"),
        (e, path) => Long(e, path));

    private SortedDictionary<TKey, TValue> Map<TKey, TValue>(string name, IComparer<TKey> comparer, Func<string, TKey> key, Func<JsonElement, string, TValue> value)
        where TKey : notnull
    {
        var map = new SortedDictionary<TKey, TValue>(comparer);
        foreach (var p in Object(name)._object.EnumerateObject())
        {
            var k = key(p.Name);
            if (map.ContainsKey(k)) throw new FormatException($"{At(name)}: key \"{p.Name}\" appears twice");
            map.Add(k, value(p.Value, $"{At(name)}.{p.Name}"));
        }
        return map;
    }

    private JsonElement.ArrayEnumerator Array(string name)
    {
        var e = Field(name);
        return e.ValueKind == JsonValueKind.Array ? e.EnumerateArray() : throw Wrong(At(name), e, "an array");
    }

    private JsonElement Field(string name) =>
        _object.TryGetProperty(name, out var e) ? e : throw new FormatException($"{At(name)} is missing");

    private string At(string name) => Path.Length == 0 ? name : $"{Path}.{name}";

    private static long Long(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var v) ? v : throw Wrong(path, e, "an integer");

    private static FormatException Wrong(string path, JsonElement e, string expected) =>
        new($"{(path.Length == 0 ? "the line" : path)} is {Shown(e)}, not {expected}");

    // The offending value as written, cut short so the message stays one readable line.
    private static string Shown(JsonElement e)
    {
        const int shownCharsMax = 40;
        var raw = e.GetRawText().ReplaceLineEndings(" ");
        return raw.Length <= shownCharsMax ? raw : raw[..shownCharsMax] + "…";
    }
}
