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
