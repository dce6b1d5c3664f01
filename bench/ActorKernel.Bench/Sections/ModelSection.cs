using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Machine;
using ActorKernel.Actors.Workloads;
using ActorKernel.Bench.Infra;
using ActorKernel.Model;

namespace ActorKernel.Bench.Sections;

/// <summary>
/// Section "model": the real model, one run at a time on one lane, after a warm-up — the
/// 1000-exec fork-exec run and the 90-virtual-second numa-idle run (4 threads, one busy), for
/// every policy the 6.18 profile offers for the run's attach points.
/// </summary>
public static class ModelSection
{
    public const string Name = "model";

    private static readonly string[] ForkExec = { "workload.fork-exec.execs=1000" };

    private static readonly string[] NumaIdle =
    {
        "workload.fork-exec.enabled=off", "workload.numa-idle.enabled=on", "numa-balancing.enabled=on",
        "workload.numa-idle.duration-s=90", "workload.numa-idle.threads=4", "workload.numa-idle.busy-threads=1",
    };

    public static void Run(Harness h)
    {
        var lane = BenchEnv.Lane(2);
        foreach (var (workload, overrides) in new[] { ("fork-exec 1000 execs", ForkExec), ("numa-idle 90 s", NumaIdle) })
        {
            var settings = SettingsLoader.Load(null, overrides);
            var context = WorkloadCatalog.PolicyContext(settings, WorkloadCatalog.For(settings));
            foreach (var policy in ProbePolicy.All)
            {
                if (policy.Unavailable(context) is not null) continue;
                long events = 0;
                double Once()
                {
                    var spec = new MachineSpec(settings, policy, WorkloadCatalog.For(settings));
                    MachineRunOutcome? outcome = null;
                    var seconds = Harness.Seconds(() => outcome = MachineRun.Run(lane, spec, 1));
                    if (!outcome!.Succeeded) throw new InvalidOperationException($"{workload} {policy.Name}: {outcome.Failure}");
                    events = outcome.Events;
                    return seconds;
                }
                // Three warm-up runs: tiered JIT needs a few before the hot paths are optimised.
                var s = h.Interleaved(() => { Once(); Once(); Once(); }, ("wall", Once));
                h.Report.Add(ResultRow.FromSamples(Name, $"{workload}, {policy.Name}: wall time", "s", s["wall"], TargetKind.AtMost, 0.5));
                h.Report.Add(ResultRow.FromSamples(Name, $"{workload}, {policy.Name}: events/s", "events/s",
                    s["wall"].Select(w => events / w).ToList(), note: $"{events:N0} events"));
            }
        }
    }
}
