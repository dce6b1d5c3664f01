namespace ActorKernel.Model.Tests.Image;

// glibc sysdeps/posix/system.c do_system() and libio/iopopen.c: fork + execve("/bin/sh", {"sh", "-c", cmd})
// before 2.29; __posix_spawn() → spawni.c clone(CLONE_VM | CLONE_VFORK) from 2.29 (kernel-model.md §1.7).
public class GlibcSystemTests
{
    [Theory]
    [InlineData("2.17", SpawnKind.Fork)]
    [InlineData("2.28", SpawnKind.Fork)]
    [InlineData("2.29", SpawnKind.Vfork)]
    [InlineData("2.36", SpawnKind.Vfork)]
    [InlineData("3.0", SpawnKind.Vfork)]
    public void SpawnKind_ByVersion(string version, SpawnKind expected)
    {
        Assert.True(GlibcVersion.TryParse(version, out var v));
        Assert.Equal(expected, GlibcSystem.SpawnKindOf(v));
    }

    [Theory]
    [InlineData("")]
    [InlineData("2")]
    [InlineData("2.x")]
    [InlineData("2.36.1")]
    [InlineData("-2.3")]
    public void Version_MustBeMajorDotMinor(string text) => Assert.False(GlibcVersion.TryParse(text, out _));

    [Fact]
    public void Version_OrdersNumerically() => Assert.True(new GlibcVersion(2, 9) < new GlibcVersion(2, 29));
}
