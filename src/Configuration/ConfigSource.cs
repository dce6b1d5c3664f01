namespace ActorKernel.Configuration;

/// <summary>Where a configuration layer came from, as error messages name it.</summary>
public sealed record ConfigSource(string Name)
{
    /// <summary>A module's embedded defaults (its reference.conf).</summary>
    public static readonly ConfigSource Reference = new("reference.conf");

    /// <summary>Command-line <c>--set key=value</c> overrides.</summary>
    public static readonly ConfigSource Set = new("--set");

    /// <summary>A file, named by the path the user gave.</summary>
    public static ConfigSource File(string path) => new(path);

    public override string ToString() => Name;
}
