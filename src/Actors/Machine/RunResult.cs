using ActorKernel.Actors.Metrics;

namespace ActorKernel.Actors.Machine;

/// <summary>What the machine hands to the engine when its workload has finished.</summary>
public sealed record RunResult(RunMetrics Metrics);
