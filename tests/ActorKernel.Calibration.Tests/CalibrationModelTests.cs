namespace ActorKernel.Calibration.Tests;

/// <summary>The model side of calibration alone: deterministic, no root needed.</summary>
public sealed class CalibrationModelTests
{
    [Theory]
    [InlineData("fork", "rodata", "none", true, "warm", 3)]
    [InlineData("fork", "rodata", "far-page", true, "warm", 3)]
    [InlineData("fork", "rodata", "strings-page", true, "warm", 0)]
    [InlineData("fork", "rodata", "window-neighbour", true, "warm", 0)]
    [InlineData("fork", "stack", "none", true, "warm", 0)]
    [InlineData("vfork", "rodata", "none", true, "warm", 0)]
    [InlineData("posix-spawn", "rodata", "none", true, "warm", 0)]
    // The parent never reads the strings: a vfork/posix_spawn child's exec maps them into the shared mm once.
    [InlineData("fork", "rodata", "none", false, "warm", 3)]
    [InlineData("fork", "rodata", "window-neighbour", false, "warm", 0)]
    [InlineData("vfork", "rodata", "none", false, "warm", 1)]
    [InlineData("posix-spawn", "rodata", "none", false, "warm", 1)]
    // Cold: a page the parent maps cannot be evicted; one nobody maps is not there for fault-around to map.
    [InlineData("fork", "rodata", "none", true, "cold", 3)]
    [InlineData("fork", "rodata", "window-neighbour", true, "cold", 0)]
    [InlineData("fork", "rodata", "none", false, "cold", 3)]
    [InlineData("fork", "rodata", "strings-page", false, "cold", 0)]
    [InlineData("fork", "rodata", "window-neighbour", false, "cold", 3)]
    [InlineData("vfork", "rodata", "none", false, "cold", 1)]
    // PG_readahead: fault-around skips the page; the parent's or the child's own fault on it clears the marker.
    [InlineData("fork", "rodata", "window-neighbour", true, "readahead-marker", 0)]
    [InlineData("fork", "rodata", "none", false, "readahead-marker", 3)]
    [InlineData("fork", "rodata", "strings-page", false, "readahead-marker", 0)]
    [InlineData("fork", "rodata", "window-neighbour", false, "readahead-marker", 3)]
    // Fresh window per exec: nothing has mapped the exec's strings, so vfork/posix_spawn fail every time too
    // (unless the parent reads them first).
    [InlineData("fork", "rodata", "none", false, "warm", 3, "fresh-window-per-exec")]
    [InlineData("vfork", "rodata", "none", false, "warm", 3, "fresh-window-per-exec")]
    [InlineData("posix-spawn", "rodata", "none", false, "warm", 3, "fresh-window-per-exec")]
    [InlineData("vfork", "rodata", "none", true, "warm", 0, "fresh-window-per-exec")]
    public void Model_FilenameFailures_FollowKernelModelSection8(string spawn, string strings, string child, bool parentTouches, string cache, int expectedFailed,
        string placement = "fixed")
    {
        var count = CalibrationRunner.RunModel(new CalibrationVariant(spawn, strings, child, parentTouches, "stack", cache, placement), 3);

        Assert.Equal(new FailureCount(expectedFailed, 3), count);
    }
}
