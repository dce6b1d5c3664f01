using ActorKernel.Actors.Configuration;
using ActorKernel.Model;

namespace ActorKernel.Actors.Workloads;

/// <summary>The workloads a run's settings enable, in a fixed order.</summary>
public static class WorkloadCatalog
{
    public static IReadOnlyList<IWorkload> For(ActorKernelSettings s)
    {
        var list = new List<IWorkload>();
        if (s.Workload.ForkExec.Enabled) list.Add(new ForkExecWorkload(s.Workload.ForkExec));
        if (s.Workload.NumaIdle.Enabled) list.Add(new NumaIdleWorkload(s.Workload.NumaIdle));
        if (s.Workload.LiteralSyscall.Enabled) list.Add(new LiteralSyscallWorkload(s.Workload.LiteralSyscall));
        if (s.Workload.MemoryPressure.Enabled) list.Add(new MemoryPressureWorkload(s.Workload.MemoryPressure));
        // Churn threads meant for the fork-exec parent live there; otherwise (or without fork-exec) in their own process.
        var churn = s.Workload.MmapChurn;
        if (churn.Enabled && (churn.Process == ChurnProcess.Own || !s.Workload.ForkExec.Enabled)) list.Add(new MmapChurnWorkload(churn));
        return list;
    }

    /// <summary>What a run of <paramref name="workloads"/> on <paramref name="s"/> offers a probe policy.</summary>
    public static PolicyContext PolicyContext(ActorKernelSettings s, IEnumerable<IWorkload> workloads) =>
        new(s.Kernel.Profile, TracepointNames.Parse(s.Probe.Attach), workloads.Select(w => w.Probes).ToArray());
}
