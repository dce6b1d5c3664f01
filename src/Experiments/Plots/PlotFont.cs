using ScottPlot;

namespace ActorKernel.Experiments.Plots;

/// <summary>
/// The plots' typeface. ScottPlot's default is the system's default typeface, and SkiaSharp's Linux native
/// assets (the dependency-free build ScottPlot brings, without fontconfig) take the first family their font
/// scan finds — on a Debian with fonts-dejavu-core that is DejaVu Serif, so titles, labels and ticks came out
/// in a serif face. The plots use the first installed family of <see cref="Preferred"/>, and the system default
/// only when none is installed. Fonts shape the pixels, so a PNG is byte-identical across machines only when
/// they have the same family installed; results.json, results.csv and summary.md never depend on it.
/// </summary>
public static class PlotFont
{
    /// <summary>Sans-serif families, the most common on Linux first.</summary>
    public static readonly IReadOnlyList<string> Preferred = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Open Sans", "Arial", "Helvetica"];

    /// <summary>The family the plots are drawn in on this machine.</summary>
    public static string Name => Chosen.Value;

    // Chosen once, and made ScottPlot's default before the first plot is created: a plot's labels take their
    // family from Fonts.Default when they are made and keep their own weights (bold titles and axis labels).
    private static readonly Lazy<string> Chosen = new(() => Fonts.Default = Choose(Preferred, IsInstalled, Fonts.Default));

    /// <summary>
    /// The first of <paramref name="preferred"/> that <paramref name="installed"/> says is there, else <paramref name="fallback"/>.
    /// </summary>
    public static string Choose(IEnumerable<string> preferred, Func<string, bool> installed, string fallback) =>
        preferred.FirstOrDefault(installed) ?? fallback;

    /// <summary>Makes <see cref="Name"/> ScottPlot's default family; call before creating a plot.</summary>
    public static void Use() => _ = Chosen.Value;

    // ScottPlot resolves an unknown family to the default typeface rather than to null: a family is
    // installed when the typeface it resolves to carries its name.
    private static bool IsInstalled(string family) =>
        string.Equals(Fonts.GetTypeface(family, bold: false, italic: false)?.FamilyName, family, StringComparison.OrdinalIgnoreCase);
}
