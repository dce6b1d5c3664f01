namespace ActorKernel.Calibration.Tests;

/// <summary>A fact that runs only where the real kernel can be traced (root, bpftrace, cc, tracefs); skipped with the reason otherwise.</summary>
public sealed class RealKernelFactAttribute : FactAttribute
{
    public RealKernelFactAttribute()
    {
        var missing = CalibrationHost.Detect().Missing();
        if (missing.Count > 0)
            Skip = "needs the real kernel: " + string.Join("; ", missing);
    }
}

/// <summary>The real fork-exec calibration on this machine's kernel, against the model.</summary>
// Real-kernel tests run one at a time: a concurrent one changes the timing (and load) the other measures.
[Collection("real kernel")]
public sealed class RealKernelCalibrationTests
{
    [RealKernelFact]
    public void ForkExec_RealKernelAgreesWithTheModel_OnRodataLostAtForkAndRepairedByAChildTouch()
    {
        var variants = new[]
        {
            new CalibrationVariant("fork", "rodata", "none", true, "stack"),
            new CalibrationVariant("fork", "rodata", "strings-page", true, "stack"),
            new CalibrationVariant("vfork", "rodata", "none", true, "stack"),
            new CalibrationVariant("fork", "rodata", "window-neighbour", false, "stack", "cold"),
            new CalibrationVariant("vfork", "rodata", "none", false, "stack", "warm", "fresh-window-per-exec"),
        };
        using var runner = new CalibrationRunner(CalibrationHost.Detect(), TextWriter.Null);

        var rows = runner.Run(CalibrationCases.ForkExec, variants, 5);

        var none = rows[0];
        Assert.Equal(new FailureCount(5, 5), none.RealFilename);
        Assert.Equal(new FailureCount(5, 5), none.ModelFilename);
        Assert.True(none.Agrees);
        var touched = rows[1];
        Assert.Equal(new FailureCount(0, 5), touched.RealFilename);
        Assert.Equal(new FailureCount(0, 5), touched.ModelFilename);
        Assert.True(touched.Agrees);
        Assert.True(rows[2].Agrees, $"vfork: real {rows[2].RealFilename}, model {rows[2].ModelFilename}");
        // An evicted strings page is not there for the neighbour's fault-around to map.
        var cold = rows[3];
        Assert.Equal(new CacheStateCount("cold", 5, 5), cold.RealCacheSet);
        Assert.Equal(new FailureCount(5, 5), cold.RealFilename);
        Assert.Equal(new FailureCount(5, 5), cold.ModelFilename);
        // A fresh .rodata window per exec: even the vfork child, on the parent's page table, fails every time.
        var fresh = rows[4];
        Assert.Equal(new FailureCount(5, 5), fresh.RealFilename);
        Assert.Equal(new FailureCount(5, 5), fresh.ModelFilename);
    }
}

/// <summary>The field-reports case on this machine's kernel, against the model.</summary>
public sealed class RealKernelFieldReportTests
{
    [RealKernelFact]
    public void FieldReports_RealKernelAgreesWithTheModel_OnLiteralsFixedReadsSystemAndLibraryRodata()
    {
        var libc = FieldReportRunner.GlibcVersion();
        var variants = new[]
        {
            FieldReportVariant.LiteralOpenat("window-neighbour", false),
            FieldReportVariant.LiteralOpenat("window-neighbour", true),
            FieldReportVariant.LiteralExecve("none", 4),
            FieldReportVariant.Shell(FieldReportRead.ShellFirstUnmapped, libc, 1),
            FieldReportVariant.Shell(FieldReportRead.ShellFirstMappedBySpawn, libc, 1),
            FieldReportVariant.Shell(FieldReportRead.ShellLater, libc, FieldReportVariant.Calls),
            FieldReportVariant.Shell(FieldReportRead.ShellFirstAll, libc, 1),
            FieldReportVariant.Shell(FieldReportRead.ShellFirstAll, libc, 1, "popen"),
            FieldReportVariant.LibFork(true, "none", 4),
            FieldReportVariant.LibFork(true, "window-neighbour", 4),
            FieldReportVariant.LiteralOpenat("none", false, "lib-rodata"),
            FieldReportVariant.LiteralExecve("none", 4, "lib-rodata"),
            FieldReportVariant.LiteralOpenat("none", false, "heap"),
            FieldReportVariant.LiteralExecve("none", 4, "stack"),
        };
        using var runner = new FieldReportRunner(CalibrationHost.Detect(), TextWriter.Null);

        var rows = runner.Run(variants, 4);

        // The str read of a path whose window a neighbour read mapped succeeds; the fixed read past its end does not.
        Assert.Equal(new FailureCount(0, 12), rows[0].Real);
        Assert.Equal(new FailureCount(12, 12), rows[1].Real);
        Assert.Equal(new FailureCount(4, 4), rows[2].Real);
        // system(): a first call fails exactly when glibc's own spawn path left the literals' page unmapped; later calls never.
        var shell = rows[3].Shell;
        Assert.Equal(4, shell.Count);
        Assert.Equal(new FailureCount(shell.Count(s => !s.SpawnMaps && !s.PresentBefore), shell.Count(s => !s.SpawnMaps && !s.PresentBefore)), rows[3].Real);
        Assert.Equal(0, rows[4].Real.Failed);
        Assert.Equal(new FailureCount(0, 8), rows[5].Real);
        // glibc's posix_spawn() reads sigall_set 10 pages after the literals: spawn-maps exactly for window indices 0-5, and the
        // model, run with libc where each process had it, agrees process by process; over a window it predicts 10 of 16 lost.
        Assert.All(shell.Where(s => !s.PresentBefore), s => Assert.Equal(s.WindowIndex <= 5, s.SpawnMaps));
        Assert.Equal(shell.Count(s => !s.PresentBefore), rows[6].ProcessAgreement!.Count);
        Assert.Equal(new FailureCount(10, 16), rows[6].Model);
        // popen()'s jump-table reads (-4, -3 pages) cover the windows sigall_set's misses: its first call is never lost.
        Assert.Equal(new FailureCount(0, 4), rows[7].Real);
        Assert.Equal(new FailureCount(0, 16), rows[7].Model);
        Assert.Equal(new FailureCount(4, 4), rows[8].Real);
        Assert.Equal(new FailureCount(0, 4), rows[9].Real);
        // A library's never-read literal is lost like the program's (the first openat, every execve); a written copy never is.
        Assert.Equal(new FailureCount(4, 12), rows[10].Real);
        Assert.Equal(new FailureCount(4, 4), rows[11].Real);
        Assert.Equal(new FailureCount(0, 12), rows[12].Real);
        Assert.Equal(new FailureCount(0, 4), rows[13].Real);
        Assert.All(rows, r => Assert.True(r.Agrees, $"{r.Variant.Name}: real {r.Real}, model {r.Model}"));
    }
}
