using ActorKernel.Actors.Metrics;
using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.TestKit.ScenarioFiles;

/// <summary>Runs a scenario file in the model the way `actorkernel calibrate --scenario` does.</summary>
public static class ScenarioFileRun
{
    /// <summary>
    /// The image's region alignment for these runs: 64 KiB, one fault-around window, so every region
    /// starts a window. The real-kernel runner can put its rodata at the start of a 64 KiB window but
    /// not at the start of a VMA of its own (it lies inside the executable's .rodata segment); with this
    /// alignment the model's VMA-start window (do_fault_around() from the VMA start) and the aligned
    /// window are the same pages, as on the runner's side. The default layout (page-aligned regions)
    /// is checked against the kernel by the fork-exec cases of `calibrate` instead.
    /// </summary>
    public const int RegionAlignBytes = 65536;

    /// <summary>
    /// Every probe read at sys_enter_execve, in order: run on <paramref name="system"/> with the seed
    /// (the ACTORKERNEL_SEED variable overrides it, as for any scenario), probe policy nofault and
    /// regions aligned to <see cref="RegionAlignBytes"/>.
    /// </summary>
    public static IReadOnlyList<ProbeReadCompleted> ExecveReads(ActorSystem system, ScenarioFile file, ulong seed = 1)
    {
        using var s = new ScenarioBuilder(system).Load(file)
            .Set("image.region-alignment-bytes", RegionAlignBytes.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Seed(seed).Policy(ProbePolicy.NoFault).Build();
        s.Finish();
        var point = Tracepoint.SysEnterExecve.ToName();
        return s.ProbeReads.Where(r => r.Attach == point).ToArray();
    }
}
