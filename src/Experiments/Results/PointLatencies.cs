using ActorKernel.Experiments.Planning;
using ActorKernel.Model;
using HdrHistogram;

namespace ActorKernel.Experiments.Results;

/// <summary>
/// A sweep's probe-latency histograms pooled per point × policy as its runs are recorded (HdrHistogram
/// add: the counts are summed, so the order runs finish in cannot change the pool). A journal keeps this
/// instead of one ≈270 KB histogram per run until the output is written.
/// </summary>
public sealed class PointLatencies
{
    private readonly object _gate = new();
    // Looked up by key only, never enumerated.
    private readonly Dictionary<(int PointIndex, ProbePolicy Policy), LongHistogram> _pooled = new();

    /// <summary>Add the latencies of one run of <paramref name="spec"/>'s point and policy.</summary>
    public void Add(RunSpec spec, LongHistogram latencies)
    {
        lock (_gate)
        {
            var key = (spec.PointIndex, spec.Policy);
            if (!_pooled.TryGetValue(key, out var pooled))
                _pooled.Add(key, pooled = new LongHistogram(latencies.HighestTrackableValue, latencies.NumberOfSignificantValueDigits));
            pooled.Add(latencies);
        }
    }

    /// <summary>The pooled latencies of a point and policy, or null when no run of it recorded any histogram.</summary>
    public LongHistogram? For(int pointIndex, ProbePolicy policy)
    {
        lock (_gate) return _pooled.GetValueOrDefault((pointIndex, policy));
    }
}
