using ActorKernel.Actors.Configuration;
using ActorKernel.Model;

namespace ActorKernel.Experiments.Planning;

/// <summary>One value of one swept key, as written in the experiment (key relative to actor-kernel).</summary>
public sealed record PointValue(string Key, string Value);

/// <summary>
/// One run: a parameter point, a policy, a repetition and its seed. Runs of the same point
/// and repetition share their seed across policies (common random numbers), so policies
/// are compared on the same interleavings.
/// </summary>
public sealed record RunSpec(int Run, int PointIndex, IReadOnlyList<PointValue> Point, ProbePolicy Policy, int Repetition, ulong Seed, ActorKernelSettings Settings);
