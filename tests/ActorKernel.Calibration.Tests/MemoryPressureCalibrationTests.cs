using System.Text.Json;
using ActorKernel.Actors.Workloads;

namespace ActorKernel.Calibration.Tests;

/// <summary>memory-pressure: parsing memory_pressure.bt output, the per-target rule, the model side, the JSON, finding and making the memory cgroup.</summary>
public sealed class MemoryPressureCalibrationTests
{
    // memory_pressure.bt's lines as it prints them (the form seen on this machine's 6.18 kernel): bpftrace's
    // RLIMIT warning and banner, then one line per read.
    private const string Output = """
        ERROR: Unknown error -1: couldn't set RLIMIT_MEMLOCK for bpftrace. If your program is not loading, you can try "ulimit -l 8192" to fix the problem
        Attaching 2 probes...
        ready
        read 4242 61 2312 ok=0
        read 4242 62 2312 ok=1
        read 4242 63 2312 ok=1
        read 4242 61 2413 ok=0
        read 4242 64 2413 ok=1
        """;

    private static IReadOnlyList<MemoryPressureRead> Reads(string target, params (long AtMs, bool Ok)[] reads) =>
        reads.Select(r => new MemoryPressureRead(target, r.AtMs, r.Ok)).ToArray();

    [Fact]
    public void Parse_TheWriteCountNamesTheTarget_TheRestIsIgnored()
    {
        var reads = MemoryPressureProbeOutput.Parse(Output);

        Assert.Equal(
        [
            new MemoryPressureRead(MemoryPressureTargets.IdleFile, 2312, false),
            new MemoryPressureRead(MemoryPressureTargets.IdleAnon, 2312, true),
            new MemoryPressureRead(MemoryPressureTargets.Hot, 2312, true),
            new MemoryPressureRead(MemoryPressureTargets.IdleFile, 2413, false),
        ], reads);
    }

    [Fact]
    public void Rule_CountsFromTheSettleTime_MostlyOrNoneAgree_SomeNever()
    {
        var t = MemoryPressureTargets.IdleFile;
        // The failure at 500 ms is before the settle time: not counted.
        var real = Reads(t, (500, true), (2100, false), (2200, false), (2300, true));
        var model = Reads(t, (500, false), (2000, false), (2100, false));
        Assert.Equal(new FailureCount(2, 3), MemoryPressureComparison.Count(t, real));
        Assert.Equal("mostly failing", MemoryPressureComparison.Outcome(t, real));
        Assert.True(MemoryPressureComparison.Agrees(t, real, model));
        Assert.Equal(2100, MemoryPressureComparison.FirstFailureMs(t, real));

        var none = Reads(t, (2100, true), (2200, true));
        Assert.False(MemoryPressureComparison.Agrees(t, none, model));
        var some = Reads(t, Enumerable.Range(0, 10).Select(i => (2000L + i * 100, i != 0)).ToArray());
        Assert.Equal("some", MemoryPressureComparison.Outcome(t, some));
        Assert.False(MemoryPressureComparison.Agrees(t, some, some));
        Assert.False(MemoryPressureComparison.Agrees(t, [], []));
    }

    /// <summary>kernel-model.md §12: the cgroup's own reclaim evicts the idle file data (not-mapped); the hot pages and, without swap, the anonymous buffer stay.</summary>
    [Fact]
    public void Model_UnderTheLimit_IdleFileMostlyFailsNotMapped_HotAndIdleAnonNever()
    {
        var v = new MemoryPressureVariant(4, Swap: false);
        var row = MemoryPressureRow.Of(v, 4, "v1", [], CalibrationRunner.RunMemoryPressureModel(v, 4));

        var idleFile = row.Targets.Single(t => t.Target == MemoryPressureTargets.IdleFile);
        Assert.Equal("mostly failing", idleFile.ModelOutcome);
        Assert.StartsWith("not-mapped", idleFile.ModelCauses);
        Assert.Equal("none", row.Targets.Single(t => t.Target == MemoryPressureTargets.IdleAnon).ModelOutcome);
        Assert.Equal("none", row.Targets.Single(t => t.Target == MemoryPressureTargets.Hot).ModelOutcome);
        // Ten rounds a second, one per 100 ms bucket, counted from 2 s.
        Assert.InRange(idleFile.ModelCount.Trials, 18, 21);
    }

    [Fact]
    public void Json_HasAMemoryPressureBlock_AndAllAgreeFollowsIt()
    {
        var v = new MemoryPressureVariant(2, Swap: true);
        var real = Reads(MemoryPressureTargets.IdleFile, (2100, false)).Concat(Reads(MemoryPressureTargets.IdleAnon, (2100, true))).Concat(Reads(MemoryPressureTargets.Hot, (2100, true))).ToArray();
        var model = new[] { new MemoryPressureRead(MemoryPressureTargets.IdleFile, 2100, false, "not-mapped") }
            .Concat(Reads(MemoryPressureTargets.IdleAnon, (2100, false))).Concat(Reads(MemoryPressureTargets.Hot, (2100, true))).ToArray();

        var json = JsonDocument.Parse(CalibrationJson.Write("6.18", "bpftrace v0.20", 20, [], null, [MemoryPressureRow.Of(v, 4, "v2", real, model)])).RootElement;

        Assert.False(json.GetProperty("allAgree").GetBoolean());
        var variant = json.GetProperty("memoryPressure").GetProperty("variants")[0];
        Assert.Equal("memory.max=2 MiB, swap", variant.GetProperty("variant").GetString());
        Assert.Equal("v2", variant.GetProperty("cgroup").GetString());
        var reads = variant.GetProperty("reads");
        Assert.Equal("not-mapped 1", reads[0].GetProperty("modelCauses").GetString());
        Assert.True(reads[0].GetProperty("agree").GetBoolean());
        Assert.False(reads[1].GetProperty("agree").GetBoolean());
        Assert.False(variant.GetProperty("agree").GetBoolean());
    }

    [Fact]
    public void FindRoot_PrefersV2WithTheMemoryController_ElseTheV1MemoryHierarchy()
    {
        string[] mounts =
        [
            "tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0",
            "cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu 0 0",
            "cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0",
            "cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0",
        ];
        // The v2 hierarchy has no memory controller for its children (it is bound to v1 here).
        Assert.Equal(new MemoryCgroupRoot("/sys/fs/cgroup/memory", false), MemoryCgroupRoot.Find(mounts, _ => ""));
        Assert.Equal(new MemoryCgroupRoot("/sys/fs/cgroup/unified", true),
            MemoryCgroupRoot.Find(mounts, p => p == "/sys/fs/cgroup/unified/cgroup.subtree_control" ? "cpu memory pids" : null));
        Assert.Null(MemoryCgroupRoot.Find(mounts.Where(m => !m.Contains("memory")), _ => "cpu"));
    }

    [Fact]
    public void Cgroup_V1_WritesTheLimitAndNoSwap_AndIsRemovedWhenDisposed()
    {
        var root = Directory.CreateTempSubdirectory("actorkernel-memcg-test-").FullName;
        try
        {
            var cgroup = MemoryCgroup.Create(new MemoryCgroupRoot(root, false), "calib", 4L << 20, swap: false);
            Assert.Equal(Path.Combine(root, "calib", "cgroup.procs"), cgroup.ProcsPath);
            Assert.Equal("4194304", File.ReadAllText(Path.Combine(cgroup.Path, "memory.limit_in_bytes")));
            Assert.Equal("0", File.ReadAllText(Path.Combine(cgroup.Path, "memory.swappiness")));
            // In cgroupfs the control files go with the directory; here they are plain files.
            foreach (var f in Directory.GetFiles(cgroup.Path)) File.Delete(f);

            cgroup.Dispose();

            Assert.False(Directory.Exists(Path.Combine(root, "calib")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Cgroup_V2_WritesMemoryMax_AndLeavesSwapAloneWithoutSwapAccounting()
    {
        var root = Directory.CreateTempSubdirectory("actorkernel-memcg-test-").FullName;
        try
        {
            using var cgroup = MemoryCgroup.Create(new MemoryCgroupRoot(root, true), "calib", 2L << 20, swap: true);
            Assert.Equal("2097152", File.ReadAllText(Path.Combine(cgroup.Path, "memory.max")));
            Assert.False(File.Exists(Path.Combine(cgroup.Path, "memory.swap.max")));
            Assert.False(File.Exists(Path.Combine(cgroup.Path, "memory.swappiness")));
            foreach (var f in Directory.GetFiles(cgroup.Path)) File.Delete(f);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void AnyActiveSwap_ReadsProcSwaps()
    {
        var swaps = Path.GetTempFileName();
        try
        {
            File.WriteAllText(swaps, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
            Assert.False(SwapFile.AnyActive(swaps));
            File.AppendAllText(swaps, "/var/tmp/swap                           file\t\t65532\t\t0\t\t-2\n");
            Assert.True(SwapFile.AnyActive(swaps));
        }
        finally
        {
            File.Delete(swaps);
        }
    }
}

/// <summary>A fact that runs only where the real kernel can be traced and a memory cgroup made; skipped with the reason otherwise.</summary>
public sealed class MemoryCgroupFactAttribute : FactAttribute
{
    public MemoryCgroupFactAttribute()
    {
        var missing = CalibrationHost.Detect().Missing().ToList();
        if (MemoryCgroupRoot.Detect() is null) missing.Add("no memory cgroup controller mounted (cgroup v2 with memory enabled for children, or v1 memory)");
        if (missing.Count > 0)
            Skip = "needs the real kernel and a memory cgroup: " + string.Join("; ", missing);
    }
}

/// <summary>The real memory-pressure calibration on this machine's kernel, without swap (no swap file is made here), against the model.</summary>
// Real-kernel tests run one at a time: a concurrent one changes the timing (and load) the other measures.
[Collection("real kernel")]
public sealed class RealKernelMemoryPressureTests
{
    [MemoryCgroupFact]
    public void MemoryPressure_NoSwap_IdleFileEvicted_HotAndIdleAnonReadable_AndTheCgroupIsGone()
    {
        var host = CalibrationHost.Detect();
        using var runner = new CalibrationRunner(host, TextWriter.Null);

        var row = Assert.Single(runner.RunMemoryPressure([new MemoryPressureVariant(4, Swap: false)], 4, host.MemoryCgroup!, allowSwapfile: false));

        Assert.All(row.Targets, t => Assert.True(t.Agrees, $"{t.Target}: real {t.RealCount} ({t.RealOutcome}), model {t.ModelCount} ({t.ModelOutcome})"));
        Assert.Equal("mostly failing", row.Targets[0].RealOutcome);
        Assert.Empty(Directory.GetDirectories(host.MemoryCgroup!.Path, "actorkernel-calibrate-*"));
        Assert.Empty(Directory.GetFiles("/var/tmp", "actorkernel-calibrate-*"));
    }
}

/// <summary>The memory cgroup is removed however calibrate ends: a child process makes a real one, and a signal ends it (as for kernel.numa_balancing).</summary>
// Real-kernel tests run one at a time: a concurrent one changes the timing (and load) the other measures.
[Collection("real kernel")]
public sealed class MemoryCgroupRestoreTests
{
    [MemoryCgroupFact]
    public void CtrlC_Or_Sigterm_RemovesTheCgroup()
    {
        foreach (var signal in new[] { 2, 15 })
        {
            using var child = SysctlGuardChild.StartChild("cgroup-guard-child", $"actorkernel-calibrate-test-{Environment.ProcessId}-{signal}");
            var line = child.StandardOutput.ReadLine();
            if (line is null || !line.StartsWith("armed ", StringComparison.Ordinal))
                Assert.Fail($"the child said '{line}'; stderr: {child.StandardError.ReadToEnd()}");
            var path = line!["armed ".Length..];
            Assert.True(Directory.Exists(path));

            Assert.Equal(0, SysctlGuardChild.kill(child.Id, signal));
            Assert.True(child.WaitForExit(TimeSpan.FromMinutes(1)), "the child did not end on the signal");

            Assert.False(Directory.Exists(path), $"{path} is still there after signal {signal}");
        }
    }
}
