using ScottPlot;
using SkiaSharp;

namespace ActorKernel.Experiments.Plots;

/// <summary>
/// PNG bytes of a plot, drawn on the same surface ScottPlot's own <c>GetImage</c> draws on (RGBA,
/// premultiplied), but encoded with the PNG "Up" row filter alone instead of Skia's default of trying all
/// five filters on every row. A plot is mostly flat colour and horizontal lines, which "Up" codes as long
/// runs of zeros: on an 1100 × 650 plot the file came out slightly smaller and the encoding took about a
/// third of the time (docs/performance.md, "Start-up, sixth pass"). The pixels are the same; the bytes are
/// not those of <c>GetImageBytes</c>.
/// </summary>
public static class PlotPng
{
    private static readonly SKPngEncoderOptions Encoding = new(SKPngEncoderFilterFlags.Up, zLibLevel: 6);

    /// <summary>Draw <paramref name="plot"/> on a <paramref name="width"/> × <paramref name="height"/> image and encode it.</summary>
    public static byte[] Of(Plot plot, int width, int height) => Encode(width, height, plot.Render);

    /// <summary>Draw <paramref name="multiplot"/> on a <paramref name="width"/> × <paramref name="height"/> image and encode it.</summary>
    public static byte[] Of(Multiplot multiplot, int width, int height) => Encode(width, height, multiplot.Render);

    private static byte[] Encode(int width, int height, Action<SKCanvas, PixelRect> render)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info)
            ?? throw new InvalidOperationException($"Skia could not create a {width} x {height} surface for a plot");
        render(surface.Canvas, new PixelRect(0, width, height, 0));
        using var pixels = surface.PeekPixels();
        using var png = pixels.Encode(Encoding)
            ?? throw new InvalidOperationException($"Skia could not encode a {width} x {height} plot as PNG");
        return png.ToArray();
    }
}
