using System.Text;
using ActorKernel.Actors.Metrics;
using ActorKernel.Experiments.Results;
using ActorKernel.Experiments.Running;
using ActorKernel.Experiments.Session;
using HdrHistogram;
using Xunit.Abstractions;

namespace ActorKernel.Experiments.Tests.Results;

/// <summary>
/// A run record survives its line: records decoded from their lines give the very same output
/// folder as the records the runs returned, and a line that is not the plan's run does not decode.
/// </summary>
public sealed class RunRecordJsonTests
{
    private readonly ITestOutputHelper _output;

    public RunRecordJsonTests(ITestOutputHelper output) => _output = output;

    private static string ExperimentFile(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ActorKernel.sln"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), "config", "experiments", name);
    }

    // The default fork-exec experiment, short (24 points, nofault), run once for every test that needs its records.
    private static readonly Lazy<(ExperimentSession Session, IReadOnlyList<RunRecord> Records)> ForkExecRun = new(() =>
    {
        var s = ForkExec();
        return (s, Run(s));
    });

    private static ExperimentSession ForkExec() => ExperimentSession.Prepare(null, new[] { "workload.fork-exec.execs=3" });

    [Fact]
    public void ForkExec_DecodedRecords_WriteTheSameOutputFolder()
    {
        var (s, records) = ForkExecRun.Value;
        RoundTrip(s, records, "fork-exec");
        Assert.All(records, r => Assert.True(r.Metrics!.ByTarget.Count > 0));
    }

    [Fact]
    public void NumaIdle_DecodedRecords_KeepTheTimelineAndScanPasses()
    {
        // A multi-threaded process with one busy thread is scanned after about 1 s of runtime.
        var s = ExperimentSession.Prepare(ExperimentFile("numa-idle.conf"), new[]
        {
            "workload.numa-idle.duration-s=4",
            "experiment.sweep.\"workload.numa-idle.threads\"=[1, 4]",
            "experiment.sweep.\"workload.numa-idle.busy-threads\"=[1]",
        });
        var records = Run(s);
        RoundTrip(s, records, "numa-idle");
        Assert.Contains(records, r => r.Metrics!.Timeline.Count > 1 && r.Metrics.ScanPasses.Count > 0 && r.Metrics.Numa.HintFaults > 0);
    }

    [Fact]
    public void SeedProposal_DecodedRecords_KeepThePolicyFiguresAndLatencyHistogram()
    {
        var s = ExperimentSession.Prepare(ExperimentFile("seed-proposal.conf"), new[]
        {
            "workload.fork-exec.execs=3", "experiment.runs-per-point=1",
            "experiment.sweep.\"workload.mmap-churn.ops-per-s\"=[0, 100000]",
        });
        var records = Run(s);
        RoundTrip(s, records, "seed-proposal");
        Assert.Contains(records, r => r.Metrics!.Policy.Locks.TrylockAttempts > 0);
        Assert.Contains(records, r => r.Metrics!.Policy.Delay.WriterOps > 0);
        Assert.All(records, r => Assert.True(r.Metrics!.Policy.LatencyHistogram!.TotalCount > 0));
    }

    [Fact]
    public void AFailedRun_RoundTrips_ItsMessageOnOneLine()
    {
        var s = ForkExec();
        var failed = new RunRecord(s.Plan.Runs[3], null, "engine: \"max-events\" exceeded\nat 12 µs\ttab", 50, 12_000);

        var line = RunRecordJson.Encode(failed);
        var decoded = RunRecordJson.Decode(line, s.Plan);

        Assert.DoesNotContain('\n', line);
        Assert.Same(s.Plan.Runs[3], decoded.Spec);
        Assert.Null(decoded.Metrics);
        Assert.Equal(failed.Failure, decoded.Failure);
        Assert.Equal((50L, 12_000L), (decoded.Events, decoded.VirtualTimeNs));
        Assert.Equal(line, RunRecordJson.Encode(decoded));
    }

    [Fact]
    public void EveryField_IsReadBackIntoItsOwnPlace()
    {
        // Every number distinct, so a field read into another's place changes the re-encoded line.
        var s = ForkExec();
        long n = 0;
        long Next() => ++n;
        int NextInt() => (int)++n;
        SortedDictionary<string, long> Causes() => new(StringComparer.Ordinal) { ["B-upper"] = Next(), ["a-lower"] = Next(), ["quote\"é"] = Next() };
        var histogram = new LongHistogram(3_600_000_000_000L, 3);
        histogram.RecordValueWithCount(1_234, 5);
        histogram.RecordValue(987_654_321);
        var metrics = new RunMetrics(Next(), Next(), Next(), Next(), Causes(),
            new SortedDictionary<string, TargetCounts>(StringComparer.Ordinal)
            {
                ["argv"] = new(Next(), Next(), Next()), ["Filename"] = new(Next(), Next(), Next()),
            },
            new LatencySummary(Next(), Next(), Next(), Next(), Next()),
            Next(), Next(), Next(), Next(), Next(), Next())
        {
            Numa = new NumaTotals(Next(), Next(), Next(), Next(), Next(), Next(), Next()),
            ScanPasses = new[]
            {
                new ScanPass(Next(), Next(), NextInt(), NextInt(), NextInt(), NextInt(), true),
                new ScanPass(Next(), Next(), NextInt(), NextInt(), NextInt(), NextInt(), false),
            },
            Timeline = Enumerable.Range(0, 2).Select(_ => new TimelineBucket(Next(),
                new SortedDictionary<string, TimelineTarget>(StringComparer.Ordinal)
                {
                    ["argv"] = new(Next(), Next(), Causes()), ["Filename"] = new(Next(), Next(), new SortedDictionary<string, long>(StringComparer.Ordinal)),
                },
                Next(), Next(), Next(), new SortedDictionary<int, long> { [-1] = Next(), [0] = Next(), [3] = Next() },
                new[] { Next(), Next() }, new[] { Next() })).ToArray(),
            Policy = new PolicyMetrics(Next(), Next(),
                new LockStats(Next(), Next(), Next(), Next(), Next(), Next(), Next(), Next(), Next(), Next()),
                new WorkloadDelay(Next(), Next(), Next(), Next(), Next(), Next(), Next()),
                histogram),
        };
        var record = new RunRecord(s.Plan.Runs[7], metrics, null, Next(), Next());

        var line = RunRecordJson.Encode(record);
        var decoded = RunRecordJson.Decode(line, s.Plan);

        Assert.Equal(line, RunRecordJson.Encode(decoded));
        Assert.Equal(new[] { "B-upper", "a-lower", "quote\"é" }, decoded.Metrics!.ByCause.Keys);
        Assert.Same(StringComparer.Ordinal, Assert.IsType<SortedDictionary<string, long>>(decoded.Metrics.ByCause).Comparer);
        Assert.Same(StringComparer.Ordinal, Assert.IsType<SortedDictionary<string, TargetCounts>>(decoded.Metrics.ByTarget).Comparer);
        Assert.Same(StringComparer.Ordinal, Assert.IsType<SortedDictionary<string, TimelineTarget>>(decoded.Metrics.Timeline[0].ByTarget).Comparer);
        Assert.IsType<SortedDictionary<int, long>>(decoded.Metrics.Timeline[1].MigrationsToNode);
        Assert.Equal(metrics.ScanPasses, decoded.Metrics.ScanPasses);
        Assert.Equal(metrics.Numa, decoded.Metrics.Numa);
        Assert.Equal((metrics.Policy.Locks, metrics.Policy.Delay), (decoded.Metrics.Policy.Locks, decoded.Metrics.Policy.Delay));
        AssertSameHistogram(histogram, decoded.Metrics.Policy.LatencyHistogram);
    }

    [Theory]
    [InlineData("", "not JSON")]
    [InlineData("{\"schema\":\"actorkernel/run-record/v1\",\"run\":0", "not JSON")]
    [InlineData("[1,2]", "the line is [1,2], not an object")]
    [InlineData("{\"run\":0}", "schema is missing")]
    [InlineData("{\"schema\":\"actorkernel/run-record/v0\",\"run\":0}", "schema \"actorkernel/run-record/v0\"")]
    [InlineData("{\"schema\":\"actorkernel/run-record/v1\",\"run\":\"zero\"}", "run is \"zero\", not a 32-bit integer")]
    public void AMalformedLine_IsAFormatError_NamingWhatIsWrong(string line, string expected)
    {
        var e = Assert.Throws<FormatException>(() => RunRecordJson.Decode(line, ForkExec().Plan));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("\"seed\":", "\"seed\":1", "run 5: seed 1 in the line, {0} in the plan")]
    [InlineData("\"run\":", "\"run\":24", "run 24: not in the plan, which has 24 runs")]
    [InlineData("\"run\":", "\"run\":-1", "run -1: not in the plan, which has 24 runs")]
    [InlineData("\"policy\":", "\"policy\":\"sleepable\"", "run 5: policy sleepable in the line, nofault in the plan")]
    [InlineData("\"pointIndex\":", "\"pointIndex\":7", "run 5: point index 7 in the line, 5 in the plan")]
    [InlineData("\"total\":", "\"total\":1.5", "run 5: metrics.reads.total is 1.5, not an integer")]
    [InlineData("\"execs\":", "\"execs\":\"3\"", "run 5: metrics.execs is \"3\", not an integer")]
    [InlineData("\"v2Compressed\":", "\"v2Compressed\":\"AAAA\"", "run 5: metrics.latencyHistogram.v2Compressed is not one HdrHistogram compressed V2 encoding")]
    public void ALineThatIsNotThePlansRun_IsAFormatError_NamingWhatDiffers(string field, string replacement, string expected)
    {
        var (s, records) = ForkExecRun.Value;
        var line = RunRecordJson.Encode(records[5]);

        var e = Assert.Throws<FormatException>(() => RunRecordJson.Decode(ReplaceField(line, field, replacement), s.Plan));
        Assert.Equal(string.Format(expected, s.Plan.Runs[5].Seed), e.Message);
    }

    [Fact]
    public void AHistogramThatDecodesToOtherCounts_IsAFormatError()
    {
        var (s, records) = ForkExecRun.Value;
        var line = RunRecordJson.Encode(records[5]);

        var e = Assert.Throws<FormatException>(() => RunRecordJson.Decode(ReplaceField(line, "\"totalCount\":", "\"totalCount\":999999"), s.Plan));
        Assert.StartsWith("run 5: metrics.latencyHistogram decodes to ", e.Message);
        Assert.EndsWith("values, its totalCount says 999999", e.Message);
    }

    [Fact]
    public void AHistogramOfManyDistinctLatencies_RoundTrips()
    {
        // Enough distinct values that HdrHistogram's own compressed decoder would stop short (see LatencyHistogramJson).
        var (s, records) = ForkExecRun.Value;
        var record = records[5];
        var wide = new LongHistogram(3_600_000_000_000L, 3);
        var random = new Random(7);
        for (var i = 0; i < 100_000; i++) wide.RecordValue((long)Math.Exp(random.NextDouble() * 20));
        var withWide = record with { Metrics = record.Metrics! with { Policy = record.Metrics.Policy with { LatencyHistogram = wide } } };

        var decoded = RunRecordJson.Decode(RunRecordJson.Encode(withWide), s.Plan);

        AssertSameHistogram(wide, decoded.Metrics!.Policy.LatencyHistogram);
    }

    // Replace the value after the first occurrence of field (up to the next , or }) with replacement.
    private static string ReplaceField(string line, string field, string replacement)
    {
        var at = line.IndexOf(field, StringComparison.Ordinal);
        Assert.True(at >= 0, field);
        var end = line.IndexOfAny(new[] { ',', '}' }, at + field.Length);
        return line[..at] + replacement + line[end..];
    }

    private static IReadOnlyList<RunRecord> Run(ExperimentSession s)
    {
        var records = s.Run(2, null, CancellationToken.None);
        Assert.Equal(s.Plan.Runs.Count, records.Count);
        Assert.All(records, r => Assert.True(r.Succeeded, r.Failure));
        return records;
    }

    // Encode and decode every record; the lines re-encode as they were and the output folder is byte for byte the same.
    private void RoundTrip(ExperimentSession s, IReadOnlyList<RunRecord> records, string what)
    {
        var lines = records.Select(RunRecordJson.Encode).ToArray();
        var decoded = lines.Select(l => RunRecordJson.Decode(l, s.Plan)).ToArray();

        foreach (var (line, record) in lines.Zip(decoded))
        {
            Assert.DoesNotContain('\n', line);
            Assert.Equal(line, RunRecordJson.Encode(record));
        }
        foreach (var (original, back) in records.Zip(decoded))
        {
            Assert.Same(original.Spec, back.Spec);
            AssertSameHistogram(original.Metrics!.Policy.LatencyHistogram, back.Metrics!.Policy.LatencyHistogram);
        }
        var expected = s.OutputFiles(records);
        var actual = s.OutputFiles(decoded);
        Assert.Equal(expected.Select(f => f.Name), actual.Select(f => f.Name));
        foreach (var (e, a) in expected.Zip(actual))
        {
            if (e.Name.EndsWith(".png", StringComparison.Ordinal)) Assert.True(e.Content.AsSpan().SequenceEqual(a.Content), e.Name);
            else Assert.Equal(Encoding.UTF8.GetString(e.Content), Encoding.UTF8.GetString(a.Content));
        }

        var bytes = lines.Select(l => Encoding.UTF8.GetByteCount(l)).ToArray();
        _output.WriteLine($"{what}: {lines.Length} lines, {bytes.Min()}..{bytes.Max()} bytes (mean {bytes.Average():0})");
    }

    private static void AssertSameHistogram(LongHistogram? expected, LongHistogram? actual)
    {
        if (expected is null)
        {
            Assert.Null(actual);
            return;
        }
        Assert.NotNull(actual);
        Assert.Equal((expected.LowestTrackableValue, expected.HighestTrackableValue, expected.NumberOfSignificantValueDigits, expected.TotalCount),
            (actual.LowestTrackableValue, actual.HighestTrackableValue, actual.NumberOfSignificantValueDigits, actual.TotalCount));
        Assert.Equal(expected.RecordedValues().Select(v => (v.ValueIteratedTo, v.CountAtValueIteratedTo)),
            actual.RecordedValues().Select(v => (v.ValueIteratedTo, v.CountAtValueIteratedTo)));
    }
}
