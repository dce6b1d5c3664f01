using ActorKernel.Model;

namespace ActorKernel.Actors.Workloads;

/// <summary>The image layout a workload's process is built with (ImageLayout.ForProcess).</summary>
public static class ProcessLayout
{
    /// <summary>
    /// The layout of process <paramref name="mmId"/>: with image.libc-load-offset-pages = random, libc's load
    /// offset drawn from the run's seed for that process (ASLR picks one per exec), so runs stay reproducible.
    /// </summary>
    public static ImageLayout For(IWorkloadHost host, int mmId)
    {
        var rng = host.Sim.RandomFor($"image/libc-load-offset/mm{mmId}");
        return host.Settings.Image.ForProcess(n => (int)rng.NextLong(n));
    }
}
