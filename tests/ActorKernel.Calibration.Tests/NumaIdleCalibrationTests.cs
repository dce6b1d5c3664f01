using System.Text.Json;
using ActorKernel.Actors.Workloads;

namespace ActorKernel.Calibration.Tests;

/// <summary>numa-idle: parsing recorded write.bt output, the per-target rules, the JSON and the sysctl scope (on a temporary file).</summary>
public sealed class NumaIdleCalibrationTests
{
    // Recorded on this machine (6.18, one node, threads=4 busy=1, 4 s), trimmed: the first scan pass
    // landed between 1002 and 1102 ms; the path page read at 1503 had been repaired by getname().
    private const string Recorded = """
        ERROR: Unknown error -1: couldn't set RLIMIT_MEMLOCK for bpftrace. If your program is not loading, you can try "ulimit -l 8192" to fix the problem
        Attaching 3 probes...
        ready
        write 17508 2 ok=1 arg_start_ok=1
        openat 17508 2 ok=1
        write 17508 1002 ok=1 arg_start_ok=1
        openat 17508 1002 ok=1
        write 17508 1102 ok=0 arg_start_ok=0
        openat 17508 1102 ok=0
        write 17508 1503 ok=0 arg_start_ok=0
        openat 17508 1503 ok=1
        write 17508 2002 ok=0 arg_start_ok=0
        openat 17508 2002 ok=1
        write 17508 3903 ok=0 arg_start_ok=0
        openat 17508 3903 ok=1
        """;

    private static IReadOnlyList<NumaIdleRead> Reads(string target, params (long AtMs, bool Ok)[] reads) =>
        reads.Select(r => new NumaIdleRead(target, r.AtMs, r.Ok)).ToArray();

    [Fact]
    public void Parse_AWriteIsTwoReads_AnOpenatOne_TheRestIsIgnored()
    {
        var reads = NumaIdleProbeOutput.Parse(Recorded);

        Assert.Equal(18, reads.Count);
        Assert.Equal(new NumaIdleRead(NumaIdleTargets.IdleBuffer, 1102, false), reads[6]);
        Assert.Equal(new NumaIdleRead(NumaIdleTargets.ArgStart, 1102, false), reads[7]);
        Assert.Equal(new NumaIdleRead(NumaIdleTargets.KernelTouchedBuffer, 1102, false), reads[8]);
        Assert.Equal(new NumaIdleRead(NumaIdleTargets.KernelTouchedBuffer, 1503, true), reads[11]);
        Assert.Empty(NumaIdleProbeOutput.ParseLine("ready"));
        Assert.Empty(NumaIdleProbeOutput.ParseLine("write 1 2 ok=1"));
        Assert.Empty(NumaIdleProbeOutput.ParseLine("write 1 2 ok=2 arg_start_ok=1"));
        Assert.Empty(NumaIdleProbeOutput.ParseLine("openat 1 x ok=1"));
    }

    [Fact]
    public void Counted_NeverTouchedPagesFromTwoSeconds_KernelTouchedTheWholeRun()
    {
        var reads = NumaIdleProbeOutput.Parse(Recorded);

        Assert.Equal(new FailureCount(2, 2), NumaIdleComparison.Count(NumaIdleTargets.IdleBuffer, reads));
        Assert.Equal(new FailureCount(2, 2), NumaIdleComparison.Count(NumaIdleTargets.ArgStart, reads));
        Assert.Equal(new FailureCount(1, 6), NumaIdleComparison.Count(NumaIdleTargets.KernelTouchedBuffer, reads));
        Assert.Equal("from 2 s", NumaIdleComparison.Window(NumaIdleTargets.IdleBuffer));
        Assert.Equal("whole run", NumaIdleComparison.Window(NumaIdleTargets.KernelTouchedBuffer));
    }

    [Theory]
    [InlineData(20, 20, 20, 20, true)]
    [InlineData(10, 20, 15, 20, true)]
    [InlineData(0, 20, 1, 21, true)]
    [InlineData(1, 20, 0, 20, true)]
    [InlineData(2, 20, 0, 20, false)]   // "some" is no rule's outcome
    [InlineData(20, 20, 0, 20, false)]
    [InlineData(9, 20, 20, 20, false)]
    [InlineData(0, 0, 0, 20, false)]    // no reads never agrees
    public void NeverTouchedPages_AgreeWhenBothMostlyFailOrBothNone(int rf, int rt, int mf, int mt, bool expected)
    {
        static IReadOnlyList<NumaIdleRead> Of(int failed, int total) =>
            Enumerable.Range(0, total).Select(i => new NumaIdleRead(NumaIdleTargets.ArgStart, 2000 + 100 * i, i >= failed)).ToArray();

        Assert.Equal(expected, NumaIdleComparison.Agrees(NumaIdleTargets.ArgStart, Of(rf, rt), Of(mf, mt)));
    }

    [Fact]
    public void KernelTouched_OneFailurePerPageAfterAPass_IsRepaired_TwoInARowOfOnePageIsNot()
    {
        const string t = NumaIdleTargets.KernelTouchedBuffer;
        // A pass at ~1.1 s: the next four reads (one per path page) fail, then getname() has repaired them all.
        var afterOnePass = Reads(t, (1000, true), (1100, false), (1200, false), (1300, false), (1400, false), (1500, true), (1600, true));
        // Five failures in a row: the first page failed again on its next read.
        var stuck = Reads(t, (1000, true), (1100, false), (1200, false), (1300, false), (1400, false), (1500, false), (1600, true));
        var none = Reads(t, (1000, true), (1100, true));

        Assert.Equal(NumaIdleComparison.Repaired, NumaIdleComparison.Outcome(t, afterOnePass));
        Assert.Equal(NumaIdleComparison.NotRepaired, NumaIdleComparison.Outcome(t, stuck));
        Assert.Equal("none", NumaIdleComparison.Outcome(t, none));
        Assert.Equal("no reads", NumaIdleComparison.Outcome(t, []));
        Assert.True(NumaIdleComparison.Agrees(t, afterOnePass, afterOnePass));
        Assert.False(NumaIdleComparison.Agrees(t, afterOnePass, stuck));
        Assert.False(NumaIdleComparison.Agrees(t, afterOnePass, none));
        Assert.True(NumaIdleComparison.Agrees(t, none, none));
    }

    [Theory]
    [InlineData(1205L, 1300L, true)]
    [InlineData(1205L, 2205L, true)]    // exactly one period apart
    [InlineData(1205L, 2206L, false)]
    [InlineData(1205L, null, false)]
    [InlineData(null, null, null)]
    public void FirstFailures_WithinOneScanPeriod(long? real, long? model, bool? expected) =>
        Assert.Equal(expected, NumaIdleComparison.WithinScanPeriod(real, model));

    [Fact]
    public void Row_PairsEachTargetsReads_AndAgreesOnlyWhenAllThreeDo()
    {
        var real = NumaIdleProbeOutput.Parse(Recorded);
        var model = Reads(NumaIdleTargets.IdleBuffer, (2000, false), (2100, false))
            .Concat(Reads(NumaIdleTargets.ArgStart, (2000, false), (2100, false)))
            .Concat(Reads(NumaIdleTargets.KernelTouchedBuffer, (1200, false), (1300, true)))
            .ToArray();

        var row = NumaIdleRow.Of(new NumaIdleVariant(4, 1), 4, real, model);

        Assert.Equal(NumaIdleRow.TargetOrder, row.Targets.Select(t => t.Target));
        Assert.True(row.Agrees);
        var kt = row.Targets[2];
        Assert.Equal(1102, kt.RealFirstFailureMs);
        Assert.Equal(1200, kt.ModelFirstFailureMs);
        Assert.True(kt.FirstFailuresWithinScanPeriod);
        Assert.False(NumaIdleRow.Of(new NumaIdleVariant(4, 1), 4, real, model.Where(r => r.Target != NumaIdleTargets.ArgStart).ToArray()).Agrees);
    }

    [Fact]
    public void Json_HasTheNumaIdleSection_WithEveryRead()
    {
        var real = NumaIdleProbeOutput.Parse(Recorded);
        var rows = new[] { NumaIdleRow.Of(new NumaIdleVariant(4, 1), 4, real, real) };
        using var doc = JsonDocument.Parse(CalibrationJson.Write("6.18", "v0.17.0", 20, [], rows));
        var section = doc.RootElement.GetProperty("numaIdle");
        Assert.Equal(2000, section.GetProperty("settleMs").GetInt32());
        Assert.Equal(1000, section.GetProperty("scanPeriodMs").GetInt32());
        Assert.Equal(4, section.GetProperty("kernelTouchedPages").GetInt32());
        var v = section.GetProperty("variants")[0];
        Assert.Equal("threads=4 busy=1", v.GetProperty("variant").GetString());
        Assert.Equal(2, v.GetProperty("realIdleBuffer").GetProperty("failed").GetInt32());
        Assert.Equal("mostly failing", v.GetProperty("model").GetString());
        var reads = v.GetProperty("reads");
        Assert.Equal(3, reads.GetArrayLength());
        var kt = reads[2];
        Assert.Equal("kernel-touched-buffer", kt.GetProperty("target").GetString());
        Assert.Equal("whole run", kt.GetProperty("counted").GetString());
        Assert.Equal(6, kt.GetProperty("realCount").GetProperty("trials").GetInt32());
        Assert.Equal("repaired", kt.GetProperty("realOutcome").GetString());
        Assert.Equal(1102, kt.GetProperty("realFirstFailureMs").GetInt64());
        Assert.True(kt.GetProperty("firstFailuresWithinScanPeriod").GetBoolean());
        Assert.True(v.GetProperty("agree").GetBoolean());
        Assert.True(doc.RootElement.GetProperty("allAgree").GetBoolean());
    }

    [Fact]
    public void Json_FirstFailuresAreNull_WhenNoReadFailed()
    {
        var none = Reads(NumaIdleTargets.IdleBuffer, (2000, true)).Concat(Reads(NumaIdleTargets.ArgStart, (2000, true))).Concat(Reads(NumaIdleTargets.KernelTouchedBuffer, (2000, true))).ToArray();
        using var doc = JsonDocument.Parse(CalibrationJson.Write("6.18", "v0.17.0", 20, [], [NumaIdleRow.Of(new NumaIdleVariant(4, 0), 4, none, none)]));
        var read = doc.RootElement.GetProperty("numaIdle").GetProperty("variants")[0].GetProperty("reads")[0];
        Assert.Equal(JsonValueKind.Null, read.GetProperty("realFirstFailureMs").ValueKind);
        Assert.Equal(JsonValueKind.Null, read.GetProperty("firstFailuresWithinScanPeriod").ValueKind);
        Assert.Equal("none", read.GetProperty("realOutcome").GetString());
    }

    [Fact]
    public void ModelOnly_BusyMultiThreaded_NeverTouchedPagesFail_KernelTouchedRepaired_OthersNone()
    {
        var busy = NumaIdleRow.Of(new NumaIdleVariant(4, 1), 4, Model(4, 1), Model(4, 1));
        Assert.Equal("mostly failing", busy.Targets[0].ModelOutcome);
        Assert.Equal("mostly failing", busy.Targets[1].ModelOutcome);
        Assert.Equal(NumaIdleComparison.Repaired, busy.Targets[2].ModelOutcome);
        // The first pass lands after scan-delay (1 s of the busy thread's runtime): within the first 1.5 s.
        Assert.InRange(busy.Targets[0].ModelFirstFailureMs!.Value, 1000, 1500);
        foreach (var (threads, busyThreads) in new[] { (1, 1), (4, 0) })
        {
            var reads = Model(threads, busyThreads);
            Assert.All(NumaIdleRow.TargetOrder, t => Assert.Equal("none", NumaIdleComparison.Outcome(t, reads)));
        }
    }

    private static IReadOnlyList<NumaIdleRead> Model(int threads, int busy) =>
        CalibrationRunner.RunNumaIdleModel(new NumaIdleVariant(threads, busy), 4);

    [Fact]
    public void SysctlScope_SetsOne_RestoresThePreviousValue_OnDispose_AndOnlyOnce()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "0\n");
            using (var scope = NumaBalancingSysctl.Enable(path))
            {
                Assert.Equal("1", File.ReadAllText(path).Trim());
                Assert.Equal("0", scope.Previous);
            }
            Assert.Equal("0", File.ReadAllText(path).Trim());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void SysctlScope_RestoresWhenTheBodyThrows()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "0\n");
            void Body()
            {
                using var scope = NumaBalancingSysctl.Enable(path);
                throw new InvalidOperationException("boom");
            }
            Assert.Throws<InvalidOperationException>(Body);
            Assert.Equal("0", File.ReadAllText(path).Trim());
        }
        finally
        {
            File.Delete(path);
        }
    }
}

/// <summary>The real numa-idle calibration: 4/1 and 1/1 for 3 s each, all three reads; changes kernel.numa_balancing and must restore it.</summary>
// Real-kernel tests run one at a time: a concurrent one changes the timing (and load) the other measures.
[Collection("real kernel")]
public sealed class RealKernelNumaIdleTests
{
    [RealKernelFact]
    public void NumaIdle_RealKernelAgreesWithTheModel_AndTheSysctlIsRestored()
    {
        var before = NumaBalancingSysctl.Read();
        if (before is null) return; // no NUMA balancing in this kernel: nothing to calibrate
        var variants = new[] { new NumaIdleVariant(4, 1), new NumaIdleVariant(1, 1) };
        IReadOnlyList<NumaIdleRow> rows;
        using (var runner = new CalibrationRunner(CalibrationHost.Detect(), TextWriter.Null))
        using (NumaBalancingSysctl.Enable())
        {
            Assert.NotEqual("0", NumaBalancingSysctl.Read());
            rows = runner.RunNumaIdle(variants, 3);
        }
        Assert.Equal(before, NumaBalancingSysctl.Read());
        static string Describe(NumaIdleRow r) => string.Join("; ", r.Targets.Select(t => $"{t.Target}: real {t.RealCount} {t.RealOutcome}, model {t.ModelCount} {t.ModelOutcome}"));
        Assert.True(rows[0].Agrees, $"4/1: {Describe(rows[0])}");
        Assert.Equal("mostly failing", rows[0].IdleBuffer.RealOutcome);
        Assert.Equal(NumaIdleComparison.Repaired, rows[0].Targets[2].RealOutcome);
        Assert.True(rows[1].Agrees, $"1/1: {Describe(rows[1])}");
    }
}
