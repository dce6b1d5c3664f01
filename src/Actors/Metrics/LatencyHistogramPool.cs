using HdrHistogram;

namespace ActorKernel.Actors.Metrics;

/// <summary>
/// Spare probe-latency histograms, per thread. One histogram of the metrics' range
/// (<see cref="RunTally.HighestTrackableNs"/>, 3 significant digits) is a ≈270 KB counts array on the
/// large-object heap; allocating two or three per run made the runs' gen-2 collections, which stop
/// every lane at once. A lane's thread reuses them instead: a run's tally rents one and gives it back
/// when its metrics actor stops, and a journaled sweep gives back a record's histogram once the journal
/// has encoded and pooled it. A returned histogram is cleared; reuse cannot change what a run records.
/// </summary>
public static class LatencyHistogramPool
{
    /// <summary>Significant decimal digits of every run's latency histogram.</summary>
    public const int SignificantDigits = 3;

    // A tally's own, its snapshot, and one in flight to the journal: more would only hold memory.
    private const int MaxSparesPerThread = 4;

    [ThreadStatic]
    private static Stack<LongHistogram>? _spares;

    /// <summary>An empty histogram of the metrics' range: a spare of this thread, or a new one.</summary>
    public static LongHistogram Rent() =>
        _spares is { Count: > 0 } spares ? spares.Pop() : new LongHistogram(RunTally.HighestTrackableNs, SignificantDigits);

    /// <summary>
    /// Give <paramref name="histogram"/> back (it is cleared): the caller must hold the only reference.
    /// Histograms of another range are left to the garbage collector.
    /// </summary>
    public static void Return(LongHistogram histogram)
    {
        if (histogram.HighestTrackableValue != RunTally.HighestTrackableNs || histogram.LowestTrackableValue != 1
            || histogram.NumberOfSignificantValueDigits != SignificantDigits) return;
        var spares = _spares ??= new Stack<LongHistogram>(MaxSparesPerThread);
        // A second return of the same histogram would hand it out twice.
        if (spares.Count >= MaxSparesPerThread || spares.Any(s => ReferenceEquals(s, histogram))) return;
        histogram.Reset();
        spares.Push(histogram);
    }
}
