using ActorKernel.Model;
using ActorKernel.TestKit.ScenarioFiles;

namespace ActorKernel.Calibration.Tests;

/// <summary>The scenario runner's header and refusals, the probe's lines, the pairing of both sides' reads. No root needed.</summary>
public sealed class ScenarioCalibrationTests
{
    private static ScenarioFile Example(string name) => ScenarioFileParser.ParseFile(Path.Combine(AppContext.BaseDirectory, "scenarios", name));

    private static ScenarioFile Parse(string body) => ScenarioFileParser.Parse("actorkernel-scenario 1\nkernel 6.18\n" + body);

    [Fact]
    public void Header_HoldsTheRodataBytes_AndTheRelroPointers()
    {
        var header = ScenarioRunnerHeader.Generate(Example("fork-cold-relro.scenario"));

        Assert.Contains("#define AK_RODATA_WINDOW_OFFSET_PAGES 0\n", header);
        Assert.Contains("#define AK_RODATA_INIT { [20480] = 47, 98, 105, 110, 47, 116, 114, 117, 101, 0 }", header);
        Assert.Contains("#define AK_RELRO_INIT { [0] = ak_ro.pages + 20480, [1] = ak_data + 0 }", header);
    }

    [Fact]
    public void Header_WithNothingStatic_IsEmptyInitialisers()
    {
        var header = ScenarioRunnerHeader.Generate(Parse("process {\n  string p stack 1 0 /bin/true\n  array a stack 1 10 p\n  thread {\n    exec p a\n  }\n}\n"));

        Assert.Contains("#define AK_RODATA_INIT { 0 }", header);
        Assert.Contains("#define AK_RELRO_INIT { 0 }", header);
    }

    [Theory]
    [InlineData("process {\n  string p stack 1 0 x\n  thread {\n  }\n}\nprocess {\n  string p stack 1 0 x\n  thread {\n  }\n}\n", "the real-kernel runner runs one process, this scenario has 2")]
    [InlineData("process {\n  string p libc-rodata 1 0 x\n  thread {\n  }\n}\n", "'p' is in libc-rodata")]
    [InlineData("process {\n  string p stack 1 0 x\n  thread {\n    sys-openat p\n  }\n}\n", "sys-openat: the runner and its probe compare execve reads only")]
    [InlineData("process {\n  string p stack 1 0 x\n  thread {\n    compute 1ms\n  }\n}\n", "compute: the runner runs one thread per process")]
    [InlineData("process {\n  string p stack 1 0 x\n  touched-at-start libc-rodata 0 1\n  thread {\n  }\n}\n", "touched-at-start: the runner does not read pages")]
    [InlineData("process {\n  string p rodata 1 0 x\n  array a rodata 1 2 p\n  thread {\n  }\n}\n", "array 'a' is in rodata")]
    [InlineData("process {\n  string p heap 1 0 x\n  array a relro 0 0 p\n  thread {\n  }\n}\n", "relro array 'a' points at 'p'")]
    [InlineData("process {\n  string p rodata 1 0 x\n  thread {\n    write p\n  }\n}\n", "write p: it is read-only")]
    [InlineData("process {\n  string p rodata 16 0 x\n  thread {\n  }\n}\n", "'p' is on page 16 of rodata, which has 16 pages")]
    [InlineData("process {\n  string p rodata 1 0 \n  thread {\n  }\n}\n", "string 'p' is empty")]
    public void WhatTheRunnerCannotRun_IsNamed(string body, string why)
    {
        Assert.Contains(why, ScenarioRunnerHeader.Unsupported(Parse(body)));
    }

    [Fact]
    public void TheExamples_CanAllRunOnTheRealKernel()
    {
        foreach (var name in new[] { "case1-fork-rodata.scenario", "vfork-rodata.scenario", "fork-child-touches.scenario", "fork-cold-relro.scenario", "vfork-readahead-marker.scenario" })
            Assert.Null(ScenarioRunnerHeader.Unsupported(Example(name)));
    }

    [Fact]
    public void ProbeLines_AndExecCalls_GiveTheReadsOfEachExec()
    {
        var o = ScenarioReads.ParseProbeLine("exec 42 filename_ok=0 argv_ptr=1100 argv_ok=0100");
        Assert.NotNull(o);
        Assert.Null(ScenarioReads.ParseProbeLine("Attaching 2 probes..."));
        var calls = ScenarioReads.ParseCalls("exec-call 42 2\ncache-state path cold set 1\n");

        var exec = Assert.Single(ScenarioReads.RealExecs([o], calls));

        Assert.Equal([ProbeTargets.Filename, ProbeTargets.ArgvArray, ProbeTargets.Argv, ProbeTargets.Argv], exec.Select(r => r.Target));
        Assert.Equal(["failed", "ok", "failed", "ok"], exec.Select(r => r.Outcome.ToString()));
    }

    [Fact]
    public void AnArrayThatCouldNotBeRead_LeavesItsStringsUnread_OnBothSides()
    {
        var real = ScenarioReads.RealExecs([ScenarioReads.ParseProbeLine("exec 7 filename_ok=1 argv_ptr=0000 argv_ok=0000")!], new Dictionary<int, int> { [7] = 2 });
        IReadOnlyList<IReadOnlyList<(string, ScenarioReadOutcome)>> model =
            [[(ProbeTargets.Filename, new ScenarioReadOutcome(true, true, null)), (ProbeTargets.ArgvArray, new ScenarioReadOutcome(true, false, FailureCause.NotMapped))]];

        var rows = ScenarioReads.Pair(real, model);

        Assert.Equal(["filename", "argv-array", "argv[0]", "argv[1]"], rows.Select(r => r.Target));
        Assert.All(rows, r => Assert.True(r.Agrees, $"{r.Target}: real {r.Real}, model {r.Model}"));
    }

    [Fact]
    public void AnExecOnlyOneSideSaw_Disagrees()
    {
        IReadOnlyList<IReadOnlyList<(string, ScenarioReadOutcome)>> model = [[(ProbeTargets.Filename, new ScenarioReadOutcome(true, false, FailureCause.ForkSkippedPte))]];

        var row = Assert.Single(ScenarioReads.Pair([], model));

        Assert.False(row.Agrees);
        Assert.Equal("not read", row.Real.ToString());
        Assert.Equal("failed (fork-skipped-pte)", row.Model.ToString());
    }

    [Fact]
    public void Case1_InTheModel_TheChildsFilenameAndArgvStringsFail()
    {
        var exec = Assert.Single(ScenarioCalibration.RunModel(Example("case1-fork-rodata.scenario")));

        Assert.Equal(["failed (fork-skipped-pte)", "ok", "failed (fork-skipped-pte)", "failed (fork-skipped-pte)"], exec.Select(r => r.Outcome.ToString()));
    }
}

/// <summary>Scenario files on this machine's kernel against the model; skipped with the reason without root, bpftrace or cc.</summary>
public sealed class RealKernelScenarioTests
{
    [RealKernelTheory]
    [InlineData("case1-fork-rodata.scenario", "failed,ok,failed,failed")]
    [InlineData("vfork-rodata.scenario", "ok,ok,ok,ok")]
    [InlineData("fork-child-touches.scenario", "ok,ok,ok,ok")]
    [InlineData("fork-cold-relro.scenario", "failed,ok,failed,ok")]
    public void TheExample_AgreesReadByRead(string name, string realOutcomes)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "scenarios", name);
        var file = ScenarioFileParser.ParseFile(path);

        var rows = ScenarioReads.Pair(ScenarioCalibration.RunReal(CalibrationHost.Detect(), path, file, TextWriter.Null), ScenarioCalibration.RunModel(file));

        Assert.Equal(realOutcomes, string.Join(",", rows.Select(r => r.Real.ToString())));
        Assert.All(rows, r => Assert.True(r.Agrees, $"exec {r.Exec} {r.Target}: real {r.Real}, model {r.Model}"));
    }
}

/// <summary>A theory that runs only where the real kernel can be traced; skipped with the reason otherwise.</summary>
public sealed class RealKernelTheoryAttribute : TheoryAttribute
{
    public RealKernelTheoryAttribute()
    {
        var missing = CalibrationHost.Detect().Missing();
        if (missing.Count > 0)
            Skip = "needs the real kernel: " + string.Join("; ", missing);
    }
}

/// <summary>
/// The regression set: seeded random scenarios on this machine's kernel must all agree with the model
/// (skipped without root/bpftrace/cc). <see cref="CountVariable"/> sets how many (default
/// <see cref="DefaultCount"/>, about 2 s each); .ci/run sets 100.
/// </summary>
public sealed class RealKernelRandomScenarioTests
{
    /// <summary>The environment variable giving how many scenarios of seed 1 to run.</summary>
    public const string CountVariable = "ACTORKERNEL_RANDOM_SCENARIOS";

    /// <summary>Scenarios run without <see cref="CountVariable"/>: a local run's share of the regression set.</summary>
    public const int DefaultCount = 20;

    [RealKernelFact]
    public Task SeededRandomScenarios_AllAgreeReadByRead() => AllAgree(1, Count(Environment.GetEnvironmentVariable(CountVariable)));

    [Theory]
    [InlineData(null, DefaultCount)]
    [InlineData("", DefaultCount)]
    [InlineData("100", 100)]
    public void TheCount_ComesFromTheVariable(string? value, int count) => Assert.Equal(count, Count(value));

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("many")]
    public void ABadCount_IsNamed(string value) =>
        Assert.Equal($"{CountVariable}='{value}': expected a whole number of scenarios, at least 1", Assert.Throws<ArgumentException>(() => Count(value)).Message);

    private static int Count(string? value) =>
        string.IsNullOrEmpty(value) ? DefaultCount
        : int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1 ? n
        : throw new ArgumentException($"{CountVariable}='{value}': expected a whole number of scenarios, at least 1");

    private static async Task AllAgree(ulong seed, int count)
    {
        var work = Directory.CreateTempSubdirectory("actorkernel-random-test-").FullName;
        var system = ScenarioCalibration.ModelSystem();
        try
        {
            using var real = new RealScenarioSession(CalibrationHost.Detect(), TextWriter.Null);
            var path = Path.Combine(work, "s.scenario");
            foreach (var i in Enumerable.Range(0, count))
            {
                var file = RandomScenarios.Generate(seed, i);
                File.WriteAllText(path, ScenarioFileWriter.Write(file));

                var rows = ScenarioReads.Pair(real.Run(path, file), ScenarioCalibration.RunModel(system, file));

                Assert.All(rows, r => Assert.True(r.Agrees, $"scenario {i} of seed {seed}, exec {r.Exec} {r.Target}: real {r.Real}, model {r.Model}\n{ScenarioFileWriter.Write(file)}"));
            }
        }
        finally
        {
            await system.Terminate();
            Directory.Delete(work, recursive: true);
        }
    }
}
