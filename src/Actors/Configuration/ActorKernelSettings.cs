using ActorKernel.Model;

namespace ActorKernel.Actors.Configuration;

/// <summary>The <c>actor-kernel</c> block, bound and validated (reference.conf documents every key).</summary>
public sealed record ActorKernelSettings
{
    public required KernelSettings Kernel { get; init; }
    public required EngineSettings Engine { get; init; }
    public required MachineSettings Machine { get; init; }
    public required MmSettings Mm { get; init; }
    public required CostsSettings Costs { get; init; }
    public required ProbeSettings Probe { get; init; }
    public required ImageLayout Image { get; init; }
    public required WorkloadSettings Workload { get; init; }
    public required SchedSettings Sched { get; init; }
    public required NumaBalancingSettings NumaBalancing { get; init; }
    public required NumaCostsSettings NumaCosts { get; init; }
    public required MetricsSettings Metrics { get; init; }
    public required MemorySettings Memory { get; init; }

    /// <summary>The settings as the run with <paramref name="seed"/> sees them: varying costs draw from its generator (the same object when every cost is fixed).</summary>
    public ActorKernelSettings ForRun(ulong seed)
    {
        var costs = Costs.ForRun(seed);
        var numaCosts = NumaCosts.ForRun(seed);
        return ReferenceEquals(costs, Costs) && ReferenceEquals(numaCosts, NumaCosts) ? this : this with { Costs = costs, NumaCosts = numaCosts };
    }
}
