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
    IReadOnlyList<long> ScanPassEndsNs);

/// <summary>One NUMA scan pass (task_numa_work) of a run.</summary>
public sealed record ScanPass(long StartNs, long EndNs, int MmId, int TaskId, int PtesUpdated, int ScanSeq, bool SkippedLockBusy);

/// <summary>Accumulates a run's timeline; keyed by bucket index in a sorted map, so output is in time order.</summary>
internal sealed class Timeline
{
    private readonly long _bucketNs;
    private readonly SortedDictionary<long, Acc> _buckets = new();
    private readonly List<ScanPass> _passes = new();
    private long _hint, _hintLocal, _migrations, _passesRun, _passesSkipped, _ptes;

    public Timeline(long bucketNs)
    {
        if (bucketNs <= 0) throw new ArgumentOutOfRangeException(nameof(bucketNs), bucketNs, "timeline bucket must be positive");
        _bucketNs = bucketNs;
    }

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
        _passes.Add(new ScanPass(p.StartNs, p.EndNs, p.MmId, p.TaskId, p.PtesUpdated, p.ScanSeq, p.SkippedLockBusy));
        if (p.SkippedLockBusy) _passesSkipped++;
        else _passesRun++;
        _ptes += p.PtesUpdated;
        At(p.StartNs).Starts.Add(p.StartNs);
        At(p.EndNs).Ends.Add(p.EndNs);
    }

    public NumaTotals Totals() => new(_hint, _hintLocal, _hint - _hintLocal, _migrations, _passesRun, _passesSkipped, _ptes);

    public IReadOnlyList<ScanPass> Passes() => _passes.ToArray();

    public IReadOnlyList<TimelineBucket> Buckets() => _buckets.Select(kv => new TimelineBucket(
        kv.Key * _bucketNs,
        new SortedDictionary<string, TimelineTarget>(
            kv.Value.Targets.ToDictionary(t => t.Key, t => new TimelineTarget(t.Value.Reads, t.Value.Failed, t.Value.Causes)),
            StringComparer.Ordinal),
        kv.Value.Hint, kv.Value.HintLocal, kv.Value.Migrations,
        new SortedDictionary<int, long>(kv.Value.ToNode),
        kv.Value.Starts.ToArray(), kv.Value.Ends.ToArray())).ToArray();

    private Acc At(long ns)
    {
        var i = ns / _bucketNs;
        if (!_buckets.TryGetValue(i, out var b)) _buckets.Add(i, b = new Acc());
        return b;
    }

    private sealed class Acc
    {
        public readonly SortedDictionary<string, (long Reads, long Failed, SortedDictionary<string, long> Causes)> Targets = new(StringComparer.Ordinal);
        public readonly SortedDictionary<int, long> ToNode = new();
        public readonly List<long> Starts = new();
        public readonly List<long> Ends = new();
        public long Hint, HintLocal, Migrations;
    }
}
