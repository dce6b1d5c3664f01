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
}
