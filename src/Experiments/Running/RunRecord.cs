using ActorKernel.Actors.Metrics;
using ActorKernel.Experiments.Planning;

namespace ActorKernel.Experiments.Running;

/// <summary>A finished run: what was asked, and what the model measured (or why it failed).</summary>
public sealed record RunRecord(RunSpec Spec, RunMetrics? Metrics, string? Failure, long Events, long VirtualTimeNs)
{
    public bool Succeeded => Failure is null;
}
