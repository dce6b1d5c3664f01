namespace ActorKernel.Configuration;

/// <summary>A key of a <see cref="ConfigSchema"/>: its full path and the kind of value it takes.</summary>
public sealed class ConfigKey<T>
{
    internal ConfigKey(string path, SettingKind<T> kind)
    {
        Path = path;
        Kind = kind;
    }

    /// <summary>The full key path, e.g. <c>actor-kernel.engine.max-events</c>.</summary>
    public string Path { get; }

    public SettingKind<T> Kind { get; }

    public override string ToString() => Path;
}

/// <summary>
/// A block of a <see cref="ConfigSchema"/> whose keys are free (the user names them, e.g. the
/// sweep's <c>"workload.fork-exec.spawn" = [...]</c>); every entry's value is of one kind.
/// </summary>
public sealed class ConfigMapKey<T>
{
    internal ConfigMapKey(string path, SettingKind<T> kind)
    {
        Path = path;
        Kind = kind;
    }

    public string Path { get; }

    public SettingKind<T> Kind { get; }

    public override string ToString() => Path;
}

/// <summary>One value as resolved from the layers: the key path, the value as written, and the layer that set it.</summary>
public sealed record ConfigEntry(string Path, RawValue Value, ConfigSource Source);

/// <summary>One entry of a map block, in the order written: its key as written (unquoted), its value, its layer.</summary>
public sealed record ConfigMapEntry(string Key, RawValue Value, ConfigSource Source);
