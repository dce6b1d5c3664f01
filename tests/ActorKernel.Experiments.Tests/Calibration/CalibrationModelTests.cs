using ActorKernel.Experiments.Calibration;

namespace ActorKernel.Experiments.Tests.Calibration;

/// <summary>The model side of calibration alone: deterministic, no root needed.</summary>
public sealed class CalibrationModelTests
{
    [Theory]
    [InlineData("fork", "rodata", "none", 3)]
    [InlineData("fork", "rodata", "far-page", 3)]
    [InlineData("fork", "rodata", "strings-page", 0)]
    [InlineData("fork", "rodata", "window-neighbour", 0)]
    [InlineData("fork", "stack", "none", 0)]
    [InlineData("vfork", "rodata", "none", 0)]
    [InlineData("posix-spawn", "rodata", "none", 0)]
    public void Model_FilenameFailures_FollowKernelModelSection8(string spawn, string strings, string child, int expectedFailed)
    {
        var count = CalibrationRunner.RunModel(new CalibrationVariant(spawn, strings, child, true, "stack"), 3);

        Assert.Equal(new FailureCount(expectedFailed, 3), count);
    }
}
