using ActorKernel.Model;

namespace ActorKernel.Actors.Metrics;

/// <summary>NUMA-balancing totals of a run.</summary>
public sealed record NumaTotals(long HintFaults, long HintFaultsLocal, long HintFaultsRemote, long Migrations, long ScanPasses, long ScanPassesSkipped, long PtesUpdated)
{
    public static NumaTotals Zero { get; } = new(0, 0, 0, 0, 0, 0, 0);
}

/// <summary>Reads and failures of one target in one bucket, failures by cause (sorted).</summary>
public sealed record TimelineTarget(long Reads, long Failed, IReadOnlyDictionary<string, long> ByCause);

/// <summary>
/// One bucket [StartNs, StartNs + width) of a run's timeline: probe reads by target, hint faults,
/// migrations (with the nodes pages moved to), and the scan passes that started or ended in it.
/// </summary>
public sealed record TimelineBucket(
    long StartNs,
    IReadOnlyDictionary<string, TimelineTarget> ByTarget,
    long HintFaults,
    long HintFaultsLocal,
    long Migrations,
    IReadOnlyDictionary<int, long> MigrationsToNode,
    IReadOnlyList<long> ScanPassStartsNs,
    IReadOnlyList<long> ScanPassEndsNs)
{
    /// <summary>Memory in this bucket (runs with the memory model only; null otherwise).</summary>
    public TimelineMemory? Memory { get; init; }
}

/// <summary>
/// Memory in one timeline bucket: free pages per node at its last sample and the lowest seen, and the
/// pages reclaim scanned, evicted from the page cache and swapped out, the refaults and direct reclaims in it.
/// </summary>
public sealed record TimelineMemory(IReadOnlyList<long> FreePagesByNode, IReadOnlyList<long> MinFreePagesByNode, long Scanned, long EvictedFile, long SwappedOut, long Refaulted, long DirectReclaims);

/// <summary>A run's memory at its end: free pages per node and the reclaim totals (docs/memory-pressure.md).</summary>
public sealed record MemoryTotals(IReadOnlyList<long> FreePagesByNode, long Scanned, long EvictedFile, long SwappedOut, long Refaulted, long DirectReclaims);

/// <summary>One NUMA scan pass (task_numa_work) of a run.</summary>
public sealed record ScanPass(long StartNs, long EndNs, int MmId, int TaskId, int PtesUpdated, int ScanSeq, bool SkippedLockBusy);

/// <summary>
/// Accumulates a run's timeline in a fixed number of buckets, whatever the run's length: the
/// configured width holds until an event falls past <see cref="MaxBuckets"/> buckets, then the width
/// doubles and neighbouring pairs merge (as often as needed). Scan passes are listed, in the run's list
/// and in the buckets' start and end instants, up to <see cref="MaxScanPasses"/>; later ones count in
/// the totals only. docs/results.md, "timeline".
/// </summary>
internal sealed class Timeline
{
    /// <summary>Most buckets a timeline holds: 90 s at the default 1 s width fits unchanged; a day (86,400 s) ends at 128 s.</summary>
    public const int MaxBuckets = 1024;

    /// <summary>Most scan passes listed per run (the rest are counted in <see cref="NumaTotals"/> only).</summary>
    public const int MaxScanPasses = 1024;

    private readonly long _configuredBucketNs;
    private long _bucketNs;
    private readonly Acc?[] _buckets = new Acc?[MaxBuckets];
    private readonly List<ScanPass> _passes = new();
    private long _hint, _hintLocal, _migrations, _passesRun, _passesSkipped, _ptes, _passesOmitted;
    private MemorySampled? _lastMemory;

    public Timeline(long bucketNs)
    {
        if (bucketNs <= 0) throw new ArgumentOutOfRangeException(nameof(bucketNs), bucketNs, "timeline bucket must be positive");
        _configuredBucketNs = _bucketNs = bucketNs;
    }

    /// <summary>The bucket width in use: the configured one, doubled once per widening.</summary>
    public long BucketNs => _bucketNs;

    /// <summary>The width in use when it is no longer the configured one, else null.</summary>
    public long? WidenedBucketNs => _bucketNs == _configuredBucketNs ? null : _bucketNs;

    /// <summary>Scan passes counted in the totals but not listed (past <see cref="MaxScanPasses"/>).</summary>
    public long ScanPassesOmitted => _passesOmitted;

    public void Read(ProbeReadCompleted r)
    {
        var b = At(r.AtNs);
        var (reads, failed, causes) = b.Targets.TryGetValue(r.Target, out var t) ? t : (0L, 0L, new SortedDictionary<string, long>(StringComparer.Ordinal));
        if (!r.Ok)
        {
            var cause = r.Cause!.Value.ToKebab();
            causes[cause] = causes.GetValueOrDefault(cause) + 1;
        }
        b.Targets[r.Target] = (reads + 1, failed + (r.Ok ? 0 : 1), causes);
    }

    public void HintFault(NumaHintFaultTaken h)
    {
        var b = At(h.AtNs);
        b.Hint++;
        _hint++;
        if (h.Local) { b.HintLocal++; _hintLocal++; }
        if (!h.Migrated) return;
        b.Migrations++;
        _migrations++;
        b.ToNode[h.Node] = b.ToNode.GetValueOrDefault(h.Node) + 1;
    }

    public void ScanPass(NumaScanPassFinished p)
    {
        if (p.SkippedLockBusy) _passesSkipped++;
        else _passesRun++;
        _ptes += p.PtesUpdated;
        if (_passes.Count == MaxScanPasses)
        {
            _passesOmitted++;
            return;
        }
        _passes.Add(new ScanPass(p.StartNs, p.EndNs, p.MmId, p.TaskId, p.PtesUpdated, p.ScanSeq, p.SkippedLockBusy));
        At(p.StartNs).Starts.Add(p.StartNs);
        At(p.EndNs).Ends.Add(p.EndNs);
    }

    /// <summary>A memory sample: the counters' growth since the previous one goes to its bucket.</summary>
    public void Memory(MemorySampled m)
    {
        var prev = _lastMemory;
        _lastMemory = m;
        var b = At(m.AtNs);
        var add = new TimelineMemory(m.FreePagesByNode, m.FreePagesByNode,
            m.Scanned - (prev?.Scanned ?? 0), m.EvictedFile - (prev?.EvictedFile ?? 0), m.SwappedOut - (prev?.SwappedOut ?? 0),
            m.Refaulted - (prev?.Refaulted ?? 0), m.DirectReclaims - (prev?.DirectReclaims ?? 0));
        b.Mem = b.Mem is null ? add : Merge(b.Mem, add);
    }

    /// <summary>The run's memory at its end, or null when it had no memory model.</summary>
    public MemoryTotals? MemoryTotals() => _lastMemory is not { } m ? null
        : new MemoryTotals(m.FreePagesByNode, m.Scanned, m.EvictedFile, m.SwappedOut, m.Refaulted, m.DirectReclaims);

    // An earlier and a later memory record of one bucket: counts add, free pages are the later's, minima the lower.
    private static TimelineMemory Merge(TimelineMemory early, TimelineMemory late) => new(
        late.FreePagesByNode,
        early.MinFreePagesByNode.Zip(late.MinFreePagesByNode, Math.Min).ToArray(),
        early.Scanned + late.Scanned, early.EvictedFile + late.EvictedFile, early.SwappedOut + late.SwappedOut,
        early.Refaulted + late.Refaulted, early.DirectReclaims + late.DirectReclaims);

    public NumaTotals Totals() => new(_hint, _hintLocal, _hint - _hintLocal, _migrations, _passesRun, _passesSkipped, _ptes);

    public IReadOnlyList<ScanPass> Passes() => _passes.ToArray();

    public IReadOnlyList<TimelineBucket> Buckets()
    {
        var buckets = new List<TimelineBucket>();
        for (var i = 0; i < _buckets.Length; i++)
        {
            if (_buckets[i] is not { } b) continue;
            buckets.Add(new TimelineBucket(
                i * _bucketNs,
                new SortedDictionary<string, TimelineTarget>(
                    b.Targets.ToDictionary(t => t.Key, t => new TimelineTarget(t.Value.Reads, t.Value.Failed, t.Value.Causes)),
                    StringComparer.Ordinal),
                b.Hint, b.HintLocal, b.Migrations,
                new SortedDictionary<int, long>(b.ToNode),
                b.Starts.ToArray(), b.Ends.ToArray()) { Memory = b.Mem });
        }
        return buckets;
    }

    private Acc At(long ns)
    {
        while (ns / _bucketNs >= MaxBuckets) Widen();
        var i = (int)(ns / _bucketNs);
        return _buckets[i] ??= new Acc();
    }

    // Double the width: bucket j of the new width is buckets 2j and 2j + 1 of the old one.
    private void Widen()
    {
        _bucketNs *= 2;
        for (var j = 0; j < MaxBuckets / 2; j++)
        {
            var (low, high) = (_buckets[2 * j], _buckets[2 * j + 1]);
            _buckets[j] = low is null ? high : high is null ? low : low.Absorb(high);
        }
        Array.Clear(_buckets, MaxBuckets / 2, MaxBuckets / 2);
    }

    private sealed class Acc
    {
        public readonly SortedDictionary<string, (long Reads, long Failed, SortedDictionary<string, long> Causes)> Targets = new(StringComparer.Ordinal);
        public readonly SortedDictionary<int, long> ToNode = new();
        public readonly List<long> Starts = new();
        public readonly List<long> Ends = new();
        public long Hint, HintLocal, Migrations;
        public TimelineMemory? Mem;

        // The later bucket's counts added to this one; its scan-pass instants go after this one's.
        public Acc Absorb(Acc later)
        {
            foreach (var (target, (reads, failed, causes)) in later.Targets)
            {
                if (!Targets.TryGetValue(target, out var mine))
                {
                    Targets.Add(target, (reads, failed, causes));
                    continue;
                }
                foreach (var (cause, n) in causes) mine.Causes[cause] = mine.Causes.GetValueOrDefault(cause) + n;
                Targets[target] = (mine.Reads + reads, mine.Failed + failed, mine.Causes);
            }
            foreach (var (node, n) in later.ToNode) ToNode[node] = ToNode.GetValueOrDefault(node) + n;
            Starts.AddRange(later.Starts);
            Ends.AddRange(later.Ends);
            Hint += later.Hint;
            HintLocal += later.HintLocal;
            Migrations += later.Migrations;
            if (later.Mem is not null) Mem = Mem is null ? later.Mem : Merge(Mem, later.Mem);
            return this;
        }
    }
}
