using System.Text;

namespace ActorKernel.Actors.Configuration;

/// <summary>
/// The kernel profiles embedded from <c>config/kernels/*.conf</c> (resources <c>ActorKernel.kernels.&lt;name&gt;.conf</c>).
/// Adding a kernel is adding a file there.
/// </summary>
public static class KernelProfiles
{
    private const string Prefix = "ActorKernel.kernels.";
    private const string Suffix = ".conf";

    /// <summary>The profile used when no layer names one.</summary>
    public const string Default = "6.18";

    /// <summary>Every embedded profile, oldest kernel first.</summary>
    public static IReadOnlyList<string> Names { get; } = typeof(KernelProfiles).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(Suffix, StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..^Suffix.Length])
        .OrderBy(n => Version.TryParse(n, out var v) ? v : new Version())
        .ToArray();

    /// <summary>The text of profile <paramref name="name"/>.</summary>
    public static string Text(string name)
    {
        using var stream = typeof(KernelProfiles).Assembly.GetManifestResourceStream(Prefix + name + Suffix)
            ?? throw new ConfigError($"no kernel profile '{name}': expected one of {string.Join(", ", Names)}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
