namespace ActorKernel.Actors.Configuration;

/// <summary>Where a configuration layer came from, as error messages name it.</summary>
public sealed record ConfigSource(string Name)
{
    /// <summary>The embedded defaults of ActorKernel.Actors.</summary>
    public static readonly ConfigSource Reference = new("reference.conf");

    /// <summary>Command-line <c>--set key=value</c> overrides.</summary>
    public static readonly ConfigSource Set = new("--set");

    /// <summary>The overrides of one sweep point.</summary>
    public static readonly ConfigSource Sweep = new("sweep");

    /// <summary>The embedded kernel profile <c>config/kernels/&lt;name&gt;.conf</c>.</summary>
    public static ConfigSource Profile(string name) => new($"kernel profile {name}");

    /// <summary>A file, named by the path the user gave.</summary>
    public static ConfigSource File(string path) => new(path);

    public override string ToString() => Name;
}
