using ActorKernel.Experiments.Plots;
using ScottPlot;
using SkiaSharp;

namespace ActorKernel.Experiments.Tests.Plots;

/// <summary>PlotPng encodes the pixels ScottPlot draws, only with a cheaper PNG row filter.</summary>
public sealed class PlotPngTests
{
    private static Plot SamplePlot()
    {
        var plt = new Plot();
        var xs = Enumerable.Range(0, 50).Select(i => (double)i).ToArray();
        plt.Add.Scatter(xs, xs.Select(x => Math.Sqrt(x)).ToArray()).LegendText = "sqrt";
        plt.Add.Bars(new double[] { 3, 1, 4, 1, 5 });
        plt.Title("failure rate (kernel 6.18)");
        plt.XLabel("execs");
        plt.ShowLegend();
        return plt;
    }

    private static SKBitmap Decode(byte[] png) =>
        SKBitmap.Decode(png) ?? throw new InvalidOperationException("not a PNG Skia can decode");

    [Fact]
    public void Of_DecodesToTheSamePixelsAsScottPlotsOwnPng()
    {
        var ours = PlotPng.Of(SamplePlot(), 320, 200);
        var scottPlots = SamplePlot().GetImageBytes(320, 200, ImageFormat.Png);

        using var a = Decode(ours);
        using var b = Decode(scottPlots);
        Assert.Equal((320, 200), (a.Width, a.Height));
        Assert.Equal((b.Width, b.Height), (a.Width, a.Height));
        Assert.Equal(b.ColorType, a.ColorType);
        Assert.True(b.Bytes.AsSpan().SequenceEqual(a.Bytes), "the pixels differ from ScottPlot's GetImageBytes");
        Assert.NotEqual(scottPlots, ours);
    }

    [Fact]
    public void Of_Multiplot_HasTheRequestedSize()
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.GetPlot(0).Add.Scatter(new double[] { 0, 1 }, new double[] { 1, 0 });
        using var image = Decode(PlotPng.Of(multiplot, 300, 400));
        Assert.Equal((300, 400), (image.Width, image.Height));
    }
}
