using System.Reflection;
using System.Text;

namespace ActorKernel.Configuration;

/// <summary>Configuration text embedded in an assembly (a module's reference.conf, a profile, a built-in file).</summary>
public static class EmbeddedConfig
{
    /// <summary>The resource <paramref name="resourceName"/> of <paramref name="assembly"/> as UTF-8 text, or null when there is none.</summary>
    public static string? TryRead(Assembly assembly, string resourceName)
    {
        using var stream = assembly.GetManifestResourceStream(resourceName);
        if (stream is null) return null;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>As <see cref="TryRead"/>; a missing resource is a build mistake, not the user's.</summary>
    public static string Read(Assembly assembly, string resourceName) =>
        TryRead(assembly, resourceName)
        ?? throw new InvalidOperationException($"{resourceName} is not embedded in {assembly.GetName().Name}");

    /// <summary>The names of the resources of <paramref name="assembly"/> that start with <paramref name="prefix"/> and end with <paramref name="suffix"/>, without them, sorted ordinally.</summary>
    public static IReadOnlyList<string> Names(Assembly assembly, string prefix, string suffix) =>
        assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(suffix, StringComparison.Ordinal) && n.Length > prefix.Length + suffix.Length)
            .Select(n => n[prefix.Length..^suffix.Length])
            .Order(StringComparer.Ordinal)
            .ToArray();
}
