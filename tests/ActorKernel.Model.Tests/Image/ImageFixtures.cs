namespace ActorKernel.Model.Tests.Image;

internal static class ImageFixtures
{
    public static ProcessImage Build(int mmId = 1, ImageLayout? layout = null)
    {
        layout ??= new ImageLayout();
        return ProcessImage.Build(mmId, layout,
            new FileObject("/usr/bin/prog", layout.ProgFilePages),
            new FileObject("/usr/lib/libc.so.6", layout.LibcFilePages));
    }
}
