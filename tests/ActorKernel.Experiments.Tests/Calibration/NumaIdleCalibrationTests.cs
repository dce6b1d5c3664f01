using System.Text.Json;
using ActorKernel.Experiments.Calibration;

namespace ActorKernel.Experiments.Tests.Calibration;

/// <summary>numa-idle: parsing recorded write.bt output, the qualitative rule, the JSON and the sysctl scope (on a temporary file).</summary>
public sealed class NumaIdleCalibrationTests
{
    // Recorded on this machine (6.18, one node, threads=4 busy=1), trimmed.
    private const string Recorded = """
        ERROR: Unknown error -1: couldn't set RLIMIT_MEMLOCK for bpftrace. If your program is not loading, you can try "ulimit -l 8192" to fix the problem
        Attaching 3 probes...
        ready
        write 28234 0 ok=1
        write 28234 100 ok=1
        write 28234 1300 ok=1
        write 28234 1400 ok=0
        write 28234 2000 ok=0
        write 28234 2100 ok=0
        write 28234 2200 ok=1
        write 28234 3900 ok=0
        """;

    [Fact]
    public void Parse_ReadsWriteLines_IgnoresTheRest()
    {
        var obs = WriteProbeOutput.Parse(Recorded);
        Assert.Equal(8, obs.Count);
        Assert.Equal(new WriteObservation(28234, 1400, false), obs[3]);
        Assert.Null(WriteProbeOutput.ParseLine("ready"));
        Assert.Null(WriteProbeOutput.ParseLine("write 1 2 ok=2"));
    }

    [Fact]
    public void AfterSettle_CountsOnlyReadsFromTwoSeconds()
    {
        Assert.Equal(new FailureCount(3, 4), WriteProbeOutput.AfterSettle(WriteProbeOutput.Parse(Recorded)));
    }

    [Theory]
    [InlineData(20, 20, 20, 20, true)]
    [InlineData(10, 20, 15, 20, true)]
    [InlineData(0, 20, 1, 21, true)]
    [InlineData(1, 20, 0, 20, true)]
    [InlineData(2, 20, 0, 20, false)]
    [InlineData(20, 20, 0, 20, false)]
    [InlineData(9, 20, 20, 20, false)]
    [InlineData(0, 0, 0, 20, false)]
    public void Agrees_MostlyFailingOrNone(int rf, int rt, int mf, int mt, bool expected)
    {
        Assert.Equal(expected, NumaIdleComparison.Agrees(new FailureCount(rf, rt), new FailureCount(mf, mt)));
    }

    [Fact]
    public void Json_HasTheNumaIdleSection()
    {
        var rows = new[] { new NumaIdleRow(new NumaIdleVariant(4, 1), 4, new FailureCount(20, 20), new FailureCount(19, 20)) };
        using var doc = JsonDocument.Parse(CalibrationJson.Write("6.18", "v0.17.0", 20, [], rows));
        var v = doc.RootElement.GetProperty("numaIdle").GetProperty("variants")[0];
        Assert.Equal("threads=4 busy=1", v.GetProperty("variant").GetString());
        Assert.Equal(20, v.GetProperty("realIdleBuffer").GetProperty("failed").GetInt32());
        Assert.Equal("mostly failing", v.GetProperty("model").GetString());
        Assert.True(v.GetProperty("agree").GetBoolean());
        Assert.True(doc.RootElement.GetProperty("allAgree").GetBoolean());
    }

    [Fact]
    public void ModelOnly_BusyMultiThreadedFails_SingleThreadedAndSleepingDoNot()
    {
        Assert.True(NumaIdleCalibrationRunnerModel(4, 1).Fraction >= NumaIdleComparison.Mostly);
        Assert.True(NumaIdleCalibrationRunnerModel(1, 1).Fraction <= NumaIdleComparison.None);
        Assert.True(NumaIdleCalibrationRunnerModel(4, 0).Fraction <= NumaIdleComparison.None);
    }

    private static FailureCount NumaIdleCalibrationRunnerModel(int threads, int busy) =>
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

/// <summary>The real numa-idle calibration: 4/1 and 1/1 for 3 s each; changes kernel.numa_balancing and must restore it.</summary>
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
        Assert.True(rows[0].Agrees, $"4/1: real {rows[0].Real}, model {rows[0].Model}");
        Assert.True(rows[0].Real.Fraction >= NumaIdleComparison.Mostly, $"4/1 real {rows[0].Real}");
        Assert.True(rows[1].Agrees, $"1/1: real {rows[1].Real}, model {rows[1].Model}");
    }
}
