namespace ActorKernel.Calibration.Tests;

public sealed class CalibrationComparisonTests
{
    [Theory]
    [InlineData(20, 20, 20, 20, true)]   // both always fail
    [InlineData(18, 20, 20, 20, true)]   // both >= 0.9
    [InlineData(0, 20, 0, 20, true)]     // both never fail
    [InlineData(2, 20, 0, 20, true)]     // both <= 0.1
    [InlineData(10, 20, 7, 20, true)]    // 0.5 vs 0.35: within 0.2
    [InlineData(10, 20, 14, 20, true)]   // 0.5 vs 0.7: exactly 0.2
    [InlineData(10, 20, 15, 20, false)]  // 0.5 vs 0.75
    [InlineData(20, 20, 0, 20, false)]   // the kernel fails, the model does not
    [InlineData(3, 20, 0, 20, true)]     // 0.15 vs 0: within 0.2
    [InlineData(0, 20, 20, 20, false)]
    [InlineData(17, 20, 20, 20, true)]   // 0.85 vs 1: within 0.2
    public void Agrees_ByTheRule(int realFailed, int realTrials, int modelFailed, int modelTrials, bool expected) =>
        Assert.Equal(expected, CalibrationComparison.Agrees(new FailureCount(realFailed, realTrials), new FailureCount(modelFailed, modelTrials)));

    [Fact]
    public void NoTrials_NeverAgrees()
    {
        Assert.False(CalibrationComparison.Agrees(new FailureCount(0, 0), new FailureCount(0, 20)));
        Assert.False(CalibrationComparison.Agrees(new FailureCount(0, 20), new FailureCount(0, 0)));
    }

    [Fact]
    public void ForkExecVariants_CoverTheBriefsList_AndAreValidModelConfigurations()
    {
        var names = CalibrationCases.ForkExecVariants.Select(v => v.Name).ToArray();
        foreach (var n in new[]
        {
            "fork/rodata/none", "fork/rodata/strings-page", "fork/rodata/window-neighbour", "fork/rodata/far-page", "fork/stack/none", "vfork/rodata/none", "posix-spawn/rodata/none",
            "fork/rodata/none parent-touches=off", "vfork/rodata/none parent-touches=off", "posix-spawn/rodata/none parent-touches=off",
            "fork/rodata/window-neighbour parent-touches=off cache=cold", "fork/rodata/window-neighbour cache=cold",
            "fork/rodata/window-neighbour parent-touches=off cache=readahead-marker", "fork/rodata/strings-page parent-touches=off cache=readahead-marker",
            "fork/rodata/none parent-touches=off strings-placement=fresh-window-per-exec", "vfork/rodata/none parent-touches=off strings-placement=fresh-window-per-exec",
            "posix-spawn/rodata/none parent-touches=off strings-placement=fresh-window-per-exec", "vfork/rodata/none strings-placement=fresh-window-per-exec",
        })
            Assert.Contains(n, names);
        // The model applies the strings page's cache state to .rodata strings only; so does the reproducer.
        Assert.All(CalibrationCases.ForkExecVariants.Where(v => v.StringsPageCache != "warm"), v => Assert.Equal("rodata", v.Strings));
        // The reproducer's fresh windows: .rodata strings, no child touch, argv on the stack, warm cache.
        Assert.All(CalibrationCases.ForkExecVariants.Where(v => v.StringsPlacement != "fixed"),
            v => Assert.Equal(("rodata", "none", "stack", "warm"), (v.Strings, v.ChildTouches, v.ArgvArray, v.StringsPageCache)));
        Assert.Equal(names.Length, names.Distinct().Count());
        foreach (var v in CalibrationCases.ForkExecVariants)
            _ = ActorKernel.Experiments.Session.ExperimentSession.PrepareText("experiment { name = \"t\" }", "test", v.ModelOverrides(2));
    }

    [Fact]
    public void Json_RecordsBothSidesAndTheVerdict()
    {
        var v = CalibrationCases.ForkExecVariants[0];
        var rows = new[]
        {
            new CalibrationRow("fork-exec", v, new FailureCount(20, 20), new FailureCount(20, 20), new FailureCount(20, 20), 20),
            new CalibrationRow("fork-exec", CalibrationCases.ForkExecVariants[1], new FailureCount(20, 20), new FailureCount(20, 20), new FailureCount(0, 20), 20),
            new CalibrationRow("fork-exec", new CalibrationVariant("fork", "rodata", "window-neighbour", false, "stack", "cold"),
                new FailureCount(20, 20), new FailureCount(20, 20), new FailureCount(20, 20), 20, new CacheStateCount("cold", 20, 20)),
        };
        var json = CalibrationJson.Write("6.18.0", "bpftrace v0.17.0", 20, rows);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(CalibrationJson.Schema, root.GetProperty("schema").GetString());
        Assert.False(root.GetProperty("allAgree").GetBoolean());
        var first = root.GetProperty("variants")[0];
        Assert.Equal("fork/rodata/none", first.GetProperty("variant").GetString());
        Assert.Equal(20, first.GetProperty("realFilename").GetProperty("failed").GetInt32());
        Assert.True(first.GetProperty("agree").GetBoolean());
        Assert.False(root.GetProperty("variants")[1].GetProperty("agree").GetBoolean());
        Assert.Equal("warm", first.GetProperty("stringsPageCache").GetString());
        Assert.Equal("fixed", first.GetProperty("stringsPlacement").GetString());
        Assert.False(first.TryGetProperty("realStringsPageCacheSet", out _));
        var cold = root.GetProperty("variants")[2];
        Assert.Equal("fork/rodata/window-neighbour parent-touches=off cache=cold", cold.GetProperty("variant").GetString());
        Assert.Equal("cold", cold.GetProperty("stringsPageCache").GetString());
        Assert.Equal(20, cold.GetProperty("realStringsPageCacheSet").GetProperty("set").GetInt32());
        Assert.Equal(20, cold.GetProperty("realStringsPageCacheSet").GetProperty("cycles").GetInt32());
    }

    [Fact]
    public void ReproducerArguments_AndModelOverrides_CarryTheCacheState()
    {
        var v = new CalibrationVariant("fork", "rodata", "window-neighbour", false, "stack", "readahead-marker");

        Assert.Equal(["fork", "rodata", "window-neighbour", "off", "stack", "readahead-marker", "20"], v.ReproducerArguments(20));
        Assert.Contains("workload.fork-exec.strings-page-cache=readahead-marker", v.ModelOverrides(20));
        Assert.Contains("workload.fork-exec.parent-touches-strings=off", v.ModelOverrides(20));
        Assert.Contains("workload.fork-exec.strings-placement=fixed", v.ModelOverrides(20));
        Assert.DoesNotContain(v.ModelOverrides(20), o => o.StartsWith("image.rodata-pages", StringComparison.Ordinal));
    }

    [Fact]
    public void ReproducerArguments_AndModelOverrides_CarryTheStringsPlacement_WithAsManyWindowsAsTheReproducer()
    {
        var v = new CalibrationVariant("vfork", "rodata", "none", false, "stack", "warm", "fresh-window-per-exec");

        Assert.Equal(["vfork", "rodata", "none", "off", "stack", "warm", "20", "fresh-window-per-exec"], v.ReproducerArguments(20));
        Assert.Contains("workload.fork-exec.strings-placement=fresh-window-per-exec", v.ModelOverrides(20));
        // calibration/fork_exec.c FRESH_WINDOWS = 32: .rodata pages 44 + 16 * 32 (the default image's first fresh window
        // is page 44), so both sides wrap after 32 execs.
        Assert.Contains("image.rodata-pages=556", v.ModelOverrides(20));
    }

    // The model's default image (reference.conf image.*, page-aligned regions) puts its first fresh window where the constant says.
    [Fact]
    public void ModelFreshFirstPage_IsTheDefaultImagesFirstFreshWindow()
    {
        var s = ActorKernel.Actors.Configuration.SettingsLoader.Load(null, []);
        Assert.Equal(CalibrationVariant.ModelFreshFirstPage, ActorKernel.Model.RodataPlaces.Of(s.Image, s.Mm.FaultAroundBytes).FreshFirstPage);
    }
}
