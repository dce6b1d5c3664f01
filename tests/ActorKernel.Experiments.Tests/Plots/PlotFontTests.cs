using ActorKernel.Experiments.Plots;
using ScottPlot;

namespace ActorKernel.Experiments.Tests.Plots;

/// <summary>The plots' typeface: the first installed sans family, not the system default (a serif face on Debian).</summary>
public sealed class PlotFontTests
{
    [Fact]
    public void Choose_TakesTheFirstInstalledPreferredFamily_ElseTheFallback()
    {
        var installed = new HashSet<string>(["Liberation Sans", "Arial", "DejaVu Serif"]);

        Assert.Equal("Liberation Sans", PlotFont.Choose(PlotFont.Preferred, installed.Contains, "DejaVu Serif"));
        Assert.Equal("DejaVu Serif", PlotFont.Choose(PlotFont.Preferred, _ => false, "DejaVu Serif"));
        Assert.Equal("DejaVu Sans", PlotFont.Preferred[0]);
    }

    [Fact]
    public void Use_MakesTheChosenFamilyScottPlotsDefault_AndANewPlotsLabelsTakeIt_KeepingTheirWeights()
    {
        PlotFont.Use();
        var plot = new Plot();

        Assert.Equal(PlotFont.Name, Fonts.Default);
        Assert.Equal(PlotFont.Name, plot.Axes.Title.Label.FontName);
        Assert.Equal(PlotFont.Name, plot.Axes.Bottom.TickLabelStyle.FontName);
        Assert.True(plot.Axes.Title.Label.Bold);
        // Where a preferred family is installed (DejaVu Sans ships with Debian's fonts-dejavu-core), it is the one.
        var firstInstalled = PlotFont.Preferred.FirstOrDefault(f =>
            string.Equals(Fonts.GetTypeface(f, bold: false, italic: false)?.FamilyName, f, StringComparison.OrdinalIgnoreCase));
        if (firstInstalled is not null) Assert.Equal(firstInstalled, PlotFont.Name);
    }
}
