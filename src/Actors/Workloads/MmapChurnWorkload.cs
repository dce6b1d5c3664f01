using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Engine;
using ActorKernel.Actors.Tasks;
using ActorKernel.Model;

namespace ActorKernel.Actors.Workloads;

/// <summary>
/// Threads that take the mmap lock for write at a steady, seeded rate: mmap, munmap, mprotect,
/// brk (each holding the lock for its hold-ns) and fork (dup_mmap holds it for the whole copy,
/// kernel-model.md §1). Settings: actor-kernel.workload.mmap-churn. With process =
/// fork-exec-parent the threads are added to the fork-exec parent by <see cref="ForkExecWorkload"/>;
/// with process = own this workload starts a process of its own.
/// </summary>
public sealed class MmapChurnWorkload : IWorkload
{
    private readonly MmapChurnSettings _c;

    public MmapChurnWorkload(MmapChurnSettings settings)
    {
        _c = settings;
    }

    /// <summary>Nothing probed: its forks' children exit without exec.</summary>
    public WorkloadProbes Probes { get; } = new("mmap-churn", []);

    public void Start(IWorkloadHost host)
    {
        var s = host.Settings;
        var image = ProcessImage.Build(host.NextMmId(), s.Image,
            new FileObject("churn", s.Image.ProgFilePages), new FileObject("libc.so.6", s.Image.LibcFilePages));
        image.PopulateTypical();
        host.CreateProcess(image.Mm, Threads(_c, host.Sim, image.Mm.Id).Select(p => (p, false)).ToArray());
    }

    /// <summary>One program per churn thread, each with its own seeded generator.</summary>
    public static IReadOnlyList<IEnumerable<TaskOp>> Threads(MmapChurnSettings c, SimContext sim, int mmId) =>
        Enumerable.Range(0, c.Threads).Select(i => Program(c, sim.RandomFor($"workload/mmap-churn/mm{mmId}/thread{i}"))).ToArray();

    // Poisson arrivals per thread: exponential gaps with mean threads / ops-per-s.
    private static IEnumerable<TaskOp> Program(MmapChurnSettings c, SimRandom rng)
    {
        if (c.OpsPerS == 0)
        {
            yield return new BlockForeverOp();
            yield break;
        }
        var meanGapNs = c.Threads * (double)SimTime.NsPerS / c.OpsPerS;
        while (true)
        {
            yield return new SleepOp((long)(-Math.Log(1 - rng.NextDouble()) * meanGapNs));
            var pick = rng.NextLong(c.Mix.Total);
            if ((pick -= c.Mix.Mmap) < 0) yield return new MmapWriteOp(MmapWriteKind.Mmap, c.HoldNs.Mmap);
            else if ((pick -= c.Mix.Munmap) < 0) yield return new MmapWriteOp(MmapWriteKind.Munmap, c.HoldNs.Munmap);
            else if ((pick -= c.Mix.Mprotect) < 0) yield return new MmapWriteOp(MmapWriteKind.Mprotect, c.HoldNs.Mprotect);
            else if ((pick -= c.Mix.Brk) < 0) yield return new MmapWriteOp(MmapWriteKind.Brk, c.HoldNs.Brk);
            else yield return new SpawnOp(SpawnKind.Fork, static () => Array.Empty<TaskOp>());
        }
    }
}
