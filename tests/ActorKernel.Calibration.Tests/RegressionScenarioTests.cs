using ActorKernel.TestKit.ScenarioFiles;

namespace ActorKernel.Calibration.Tests;

/// <summary>
/// scenarios/regressions/: shrunk scenarios that once disagreed with the real kernel and now agree,
/// each with the real kernel's reads in its "# expect exec N: …" lines (docs/scenarios.md "Regressions").
/// The model side always runs; the real kernel where it can be traced.
/// </summary>
public sealed class RegressionScenarioTests
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "scenarios", "regressions");

    public static TheoryData<string> Regressions() => new(Directory.GetFiles(Folder, "*.scenario").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Regressions))]
    public void InTheModel_EveryReadIsAsTheRealKernelGaveIt(string name)
    {
        var text = File.ReadAllText(Path.Combine(Folder, name));
        var expected = ScenarioRegressions.Expectations(text);
        Assert.NotEmpty(expected);

        var rows = ScenarioReads.Pair([], ScenarioCalibration.RunModel(ScenarioFileParser.Parse(text)));

        Assert.Empty(ScenarioRegressions.Mismatches(expected, rows, r => r.Model));
    }

    [RealKernelTheory]
    [MemberData(nameof(Regressions))]
    public void OnTheRealKernel_EveryReadIsAsExpected_AndAgrees(string name)
    {
        var path = Path.Combine(Folder, name);
        var text = File.ReadAllText(path);
        var file = ScenarioFileParser.Parse(text);

        var rows = ScenarioReads.Pair(ScenarioCalibration.RunReal(CalibrationHost.Detect(), path, file, TextWriter.Null), ScenarioCalibration.RunModel(file));

        Assert.Empty(ScenarioRegressions.Mismatches(ScenarioRegressions.Expectations(text), rows, r => r.Real));
        Assert.All(rows, r => Assert.True(r.Agrees, $"exec {r.Exec} {r.Target}: real {r.Real}, model {r.Model}"));
    }

    [Fact]
    public void TheFolderHoldsRegressions_EachOneTheRunnerCanRun()
    {
        Assert.True(Regressions().Count >= 2, "scenarios/regressions/ should hold the two known past disagreements");
        foreach (var name in Directory.GetFiles(Folder, "*.scenario"))
            Assert.Null(ScenarioRunnerHeader.Unsupported(ScenarioFileParser.ParseFile(name)));
    }

    [Fact]
    public void ExpectLines_GiveEveryRead_AndAMismatchIsNamed()
    {
        var expected = ScenarioRegressions.Expectations("# expect exec 1: filename ok, argv-array ok, argv[0] failed\nprocess {\n# expect exec 2: filename failed\n");
        var ok = new ScenarioReadOutcome(true, true, null);
        var failed = new ScenarioReadOutcome(true, false, null);
        ScenarioReadRow[] rows = [new(1, "filename", ok, ok), new(1, "argv-array", ok, ok), new(1, "argv[0]", ok, ok), new(2, "filename", failed, failed), new(2, "argv-array", ok, ok)];

        Assert.Equal([new ScenarioExpectedRead(1, "filename", true), new(1, "argv-array", true), new(1, "argv[0]", false), new(2, "filename", false)], expected);
        Assert.Equal(["exec 1 argv[0]: expected failed, got ok", "exec 2 argv-array: read (ok), not expected"], ScenarioRegressions.Mismatches(expected, rows, r => r.Real));
        Assert.Contains("line 1", Assert.Throws<FormatException>(() => ScenarioRegressions.Expectations("# expect exec 1: filename fine")).Message);
    }
}
