using System.Text.Json;

namespace ActorKernel.Calibration.Tests;

/// <summary>The field-reports case without the kernel: parsing field_reports.bt and field_reports.c output, counting, agreement, JSON, and the model side.</summary>
public sealed class FieldReportCalibrationTests
{
    private static (IReadOnlyList<FieldReportProbeLine>, ShellLiterals?) Process(ShellLiterals? shell, params string[] lines) =>
        (lines.Select(FieldReportOutput.ParseLine).OfType<FieldReportProbeLine>().ToArray(), shell);

    [Fact]
    public void ParseLine_ReadsEachProbeLine_AndIgnoresTheRest()
    {
        Assert.Equal(new OpenatStrLine(42, false), FieldReportOutput.ParseLine("openat 42 str_ok=0"));
        Assert.Equal(new OpenatStrLine(42, true), FieldReportOutput.ParseLine("openat 42 str_ok=1"));
        Assert.Equal(new FieldExecLine(7, true, false, true), FieldReportOutput.ParseLine("exec 7 filename_ok=1 argv0_ok=0 argv1_ok=1"));
        Assert.Null(FieldReportOutput.ParseLine("Attaching 4 probes..."));
        Assert.Null(FieldReportOutput.ParseLine("exec 7 filename_ok=1 argv0_ok=0"));
    }

    [Fact]
    public void ParseLine_FixedRead_IsFailedWhenTheHelperZeroedTheBuffer()
    {
        Assert.Equal(new OpenatFixedLine(3, true), FieldReportOutput.ParseLine(@"openat-fixed 3 calib/README.md\x00\x03\x00"));
        Assert.Equal(new OpenatFixedLine(3, false), FieldReportOutput.ParseLine(@"openat-fixed 3 \x00\x00\x00\x00"));
        Assert.Equal(new OpenatFixedLine(3, false), FieldReportOutput.ParseLine("openat-fixed 3 "));
    }

    [Fact]
    public void ParseShell_ReadsTheReproducersLine()
    {
        Assert.Equal(new ShellLiterals(11, false, true), FieldReportOutput.ParseShell("x\nshell-literals window-index 11 present-before 0 spawn-maps 1\n"));
        Assert.Null(FieldReportOutput.ParseShell("nothing"));
    }

    [Fact]
    public void Count_Openat_CountsStrAndFixedReadsApart()
    {
        var p = Process(null, "openat 1 str_ok=0", @"openat-fixed 1 \x00\x00", "openat 1 str_ok=1", @"openat-fixed 1 \x00\x00", "openat 1 str_ok=1", "openat-fixed 1 ab");
        Assert.Equal(new FailureCount(1, 3), FieldReportOutput.Count(FieldReportRead.OpenatStr, [p]));
        Assert.Equal(new FailureCount(2, 3), FieldReportOutput.Count(FieldReportRead.OpenatFixed, [p]));
    }

    [Fact]
    public void Count_Shell_SplitsFirstCallsBySpawnMaps_AndCountsLaterCallsOfEveryProcess()
    {
        var unmapped = Process(new ShellLiterals(9, false, false), "exec 2 filename_ok=0 argv0_ok=0 argv1_ok=0", "exec 3 filename_ok=1 argv0_ok=1 argv1_ok=1", "exec 4 filename_ok=1 argv0_ok=1 argv1_ok=1");
        var mapped = Process(new ShellLiterals(2, false, true), "exec 6 filename_ok=1 argv0_ok=1 argv1_ok=1", "exec 7 filename_ok=1 argv0_ok=1 argv1_ok=1", "exec 8 filename_ok=0 argv0_ok=1 argv1_ok=1");
        // Mapped before the first call by something else: neither first-call row counts it.
        var before = Process(new ShellLiterals(2, true, true), "exec 10 filename_ok=1 argv0_ok=1 argv1_ok=1");
        var all = new[] { unmapped, mapped, before };
        Assert.Equal(new FailureCount(1, 1), FieldReportOutput.Count(FieldReportRead.ShellFirstUnmapped, all));
        Assert.Equal(new FailureCount(0, 1), FieldReportOutput.Count(FieldReportRead.ShellFirstMappedBySpawn, all));
        Assert.Equal(new FailureCount(1, 2), FieldReportOutput.Count(FieldReportRead.ShellFirstAll, all));
        Assert.Equal(new FailureCount(1, 4), FieldReportOutput.Count(FieldReportRead.ShellLater, all));
        Assert.Equal([(9, true), (2, false)], FieldReportOutput.FirstCalls(FieldReportRead.ShellFirstAll, all));
        Assert.Equal([(2, false)], FieldReportOutput.FirstCalls(FieldReportRead.ShellFirstMappedBySpawn, all));
    }

    [Fact]
    public void Row_FirstCallRows_AgreeOnlyWhenEveryProcessAgrees_TheOthersByFractions()
    {
        var first = FieldReportVariant.Shell(FieldReportRead.ShellFirstAll, "2.36", 1);
        // 10/16 against 1/2 is within the fractions' rule, but one process disagrees.
        Assert.False(new FieldReportRow(first, new(1, 2), new(10, 16), [], [true, false]).Agrees);
        Assert.True(new FieldReportRow(first, new(2, 2), new(10, 16), [], [true, true]).Agrees);
        Assert.True(new FieldReportRow(FieldReportVariant.Shell(FieldReportRead.ShellFirstMappedBySpawn, "2.36", 1), new(0, 0), new(0, 0), [], []).Agrees);
        var wrong = new FieldReportRow(FieldReportVariant.LiteralOpenat("none", true), new(0, 60), new(3, 3), []);
        Assert.False(wrong.Agrees);
    }

    [Fact]
    public void Json_HasEveryVariant_AndTheArchitectureRowsAsModelledNotMeasurable()
    {
        var rows = new[]
        {
            new FieldReportRow(FieldReportVariant.LiteralExecve("none", 2), new(2, 2), new(2, 2), []),
            new FieldReportRow(FieldReportVariant.Shell(FieldReportRead.ShellFirstMappedBySpawn, "2.36", 1), new(0, 1), new(1, 1), [new ShellLiterals(3, false, true)], [false]),
        };
        var arch = ArchitectureRow.All(2).Select(a => (a, new FailureCount(2, 2))).ToArray();
        using var doc = JsonDocument.Parse(FieldReportJson.Write("6.18", "v0.17.0", "2.36", 2, rows, arch));
        var root = doc.RootElement;
        Assert.Equal(FieldReportJson.Schema, root.GetProperty("schema").GetString());
        Assert.Equal(200, root.GetProperty("fixedReadBytes").GetInt32());
        var v = root.GetProperty("variants");
        Assert.True(v[0].GetProperty("agree").GetBoolean());
        Assert.False(v[1].GetProperty("agree").GetBoolean());
        Assert.Equal((1, 0), (v[1].GetProperty("processes").GetInt32(), v[1].GetProperty("processesAgreeing").GetInt32()));
        Assert.False(v[0].TryGetProperty("processes", out _));
        Assert.Equal(3, v[1].GetProperty("shellLiterals")[0].GetProperty("windowIndex").GetInt32());
        var a = root.GetProperty("architectures");
        Assert.Equal(3, a.GetArrayLength());
        Assert.All(a.EnumerateArray(), e => Assert.Equal("modelled, not measurable here", e.GetProperty("real").GetString()));
        Assert.All(a.EnumerateArray(), e => Assert.Contains("arch/", e.GetProperty("source").GetString()!, StringComparison.Ordinal));
    }

    [Fact]
    public void Variants_CoverTheFourMechanisms_WithTheProbesFixedSizeOnBothSides()
    {
        var all = FieldReportVariant.All(5, "2.36");
        Assert.Contains(all, v => v.Read == FieldReportRead.OpenatFixed && v.ModelOverrides.Contains("probe.fixed-read-bytes=200"));
        Assert.Contains(all, v => v.Read == FieldReportRead.ExecFilename && v.ReproducerArguments[0] == "literal-execve" && v.ModelOverrides.Contains("workload.literal-syscall.calls=5"));
        Assert.Contains(all, v => v.IsShell && v.ModelOverrides.Contains("workload.fork-exec.libc-version=2.36"));
        Assert.Contains(all, v => v.OneProcess && v.ModelOverrides.Contains("workload.fork-exec.strings=lib-rodata"));
        Assert.Equal(all.Count, all.Select(v => v.Name).Distinct().Count());
        foreach (var strings in new[] { "lib-rodata", "stack", "heap" })
        {
            Assert.Contains(all, v => v.Read == FieldReportRead.OpenatStr && v.ReproducerArguments.SequenceEqual(["literal-openat", "none", "3", strings])
                && v.ModelOverrides.Contains($"workload.literal-syscall.strings={strings}"));
            Assert.Contains(all, v => v.ReproducerArguments.SequenceEqual(["literal-execve", "none", strings]) && v.Name.EndsWith($" strings={strings}", StringComparison.Ordinal));
        }
    }

    /// <summary>The model's predictions the kernel is compared with (kernel-model.md §1.6-§1.8), deterministic.</summary>
    [Theory]
    [InlineData("openat none str", 1, 3)]
    [InlineData("openat strings-page str", 0, 3)]
    [InlineData("openat window-neighbour str", 0, 3)]
    [InlineData("openat none fixed", 3, 3)]
    [InlineData("openat window-neighbour fixed", 3, 3)]
    [InlineData("execve none", 4, 4)]
    [InlineData("execve window-neighbour", 0, 4)]
    [InlineData("system later", 0, 2)]
    [InlineData("openat none str lib-rodata", 1, 3)]
    [InlineData("openat window-neighbour str lib-rodata", 0, 3)]
    [InlineData("openat none fixed lib-rodata", 3, 3)]
    [InlineData("openat none str stack", 0, 3)]
    [InlineData("openat none str heap", 0, 3)]
    [InlineData("execve none lib-rodata", 4, 4)]
    [InlineData("execve window-neighbour lib-rodata", 0, 4)]
    [InlineData("execve none stack", 0, 4)]
    [InlineData("execve none heap", 0, 4)]
    [InlineData("lib none", 4, 4)]
    [InlineData("lib window-neighbour", 0, 4)]
    public void Model_PredictsTheRulesItEncodes(string variant, int failed, int total)
    {
        var v = variant switch
        {
            "openat none str" => FieldReportVariant.LiteralOpenat("none", false),
            "openat strings-page str" => FieldReportVariant.LiteralOpenat("strings-page", false),
            "openat window-neighbour str" => FieldReportVariant.LiteralOpenat("window-neighbour", false),
            "openat none fixed" => FieldReportVariant.LiteralOpenat("none", true),
            "openat window-neighbour fixed" => FieldReportVariant.LiteralOpenat("window-neighbour", true),
            "execve none" => FieldReportVariant.LiteralExecve("none", 4),
            "execve window-neighbour" => FieldReportVariant.LiteralExecve("window-neighbour", 4),
            "system later" => FieldReportVariant.Shell(FieldReportRead.ShellLater, "2.36", FieldReportVariant.Calls),
            "openat none str lib-rodata" => FieldReportVariant.LiteralOpenat("none", false, "lib-rodata"),
            "openat window-neighbour str lib-rodata" => FieldReportVariant.LiteralOpenat("window-neighbour", false, "lib-rodata"),
            "openat none fixed lib-rodata" => FieldReportVariant.LiteralOpenat("none", true, "lib-rodata"),
            "openat none str stack" => FieldReportVariant.LiteralOpenat("none", false, "stack"),
            "openat none str heap" => FieldReportVariant.LiteralOpenat("none", false, "heap"),
            "execve none lib-rodata" => FieldReportVariant.LiteralExecve("none", 4, "lib-rodata"),
            "execve window-neighbour lib-rodata" => FieldReportVariant.LiteralExecve("window-neighbour", 4, "lib-rodata"),
            "execve none stack" => FieldReportVariant.LiteralExecve("none", 4, "stack"),
            "execve none heap" => FieldReportVariant.LiteralExecve("none", 4, "heap"),
            "lib none" => FieldReportVariant.LibFork(true, "none", 4),
            _ => FieldReportVariant.LibFork(true, "window-neighbour", 4),
        };
        Assert.Equal(new FailureCount(failed, total), FieldReportRunner.RunModel(v));
    }

    // glibc 2.36 __spawnix()'s sigall_set read, 10 pages after the literals, maps them iff their window index is 0-5.
    [Fact]
    public void Model_FirstSystemCall_IsLostExactlyWhereSpawnixSigallSetReadMissesTheLiteralsWindow()
    {
        var v = FieldReportVariant.Shell(FieldReportRead.ShellFirstAll, "2.36", 1);
        var lost = FieldReportRunner.ModelFirstCallByWindowIndex(v);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => i >= 6).ToArray(), lost);
        Assert.Throws<ArgumentException>(() => FieldReportRunner.RunModel(v));
    }

    // popen() (2.36) reads its mode switch's and file-actions switch's jump tables too (-4, -3 pages): never lost.
    [Fact]
    public void Model_FirstPopenCall_IsNeverLost_OnDebians236Layout()
    {
        var v = FieldReportVariant.Shell(FieldReportRead.ShellFirstAll, "2.36", 1, "popen");
        Assert.Equal(["shell", "popen", "3"], v.ReproducerArguments);
        Assert.StartsWith("popen libc=2.36", v.Name, StringComparison.Ordinal);
        Assert.All(FieldReportRunner.ModelFirstCallByWindowIndex(v), Assert.False);
        Assert.Equal(new FailureCount(0, 2), FieldReportRunner.RunModel(FieldReportVariant.Shell(FieldReportRead.ShellLater, "2.36", FieldReportVariant.Calls, "popen")));
    }

    [Fact]
    public void Model_ArchitectureRows_OldPtesFailTheHeapOnlyWithoutHardwareYoung()
    {
        var rows = ArchitectureRow.All(3);
        Assert.Equal([new FailureCount(3, 3), new FailureCount(0, 3), new FailureCount(3, 3)], rows.Select(FieldReportRunner.RunModel).ToArray());
    }
}
