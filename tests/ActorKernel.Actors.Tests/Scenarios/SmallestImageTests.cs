using Akka.Actor;

namespace ActorKernel.Actors.Tests.Scenarios;

/// <summary>
/// The smallest image the schema admits runs like the default one: image.rodata-pages = 32 (its minimum) once made
/// every run fail with a model invariant, because the fresh-window places were computed for page 32 of a 32-page
/// .rodata even where no fresh window is used.
/// </summary>
public sealed class SmallestImageTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("smallest-image");

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    [Theory]
    [InlineData("far-page", 4)]
    [InlineData("window-neighbour", 0)]
    public void MinimumRodataPages_ForkedChildsRodataStrings_FailAsWithTheDefaultImage(string childTouches, int failedPerExec)
    {
        const int execs = 5;
        var m = ForkExecRuns.Metrics(_system, "image.rodata-pages=32", $"workload.fork-exec.execs={execs}",
            "workload.fork-exec.spawn=fork", "workload.fork-exec.strings=rodata", $"workload.fork-exec.child-touches={childTouches}");

        Assert.Equal(execs * failedPerExec, m.ReadsFailed);
        Assert.Equal(m.ReadsFailed, m.ByCause.GetValueOrDefault("fork-skipped-pte"));
    }
}
