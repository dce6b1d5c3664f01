using ActorKernel.Actors.Engine;
using ActorKernel.Actors.Machine;
using ActorKernel.Actors.Metrics;
using ActorKernel.Actors.Workloads;
using ActorKernel.Model;
using Akka.Actor;
using Xunit.Abstractions;

namespace ActorKernel.Actors.Tests.Scenarios;

/// <summary>
/// The memory-pressure workload through the actors, profile 6.18 (docs/memory-pressure.md): a hog fills
/// a 256 MiB node, kswapd and direct reclaim evict the idle page-cache pages (and, with swap, swap out the
/// idle anonymous buffer); a cgroup limit does the same to one process alone. One scenario per failure path.
/// </summary>
public sealed class MemoryPressureScenarioTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("memory-pressure-scenarios");
    private readonly ITestOutputHelper _out;
    private int _lanes;

    public MemoryPressureScenarioTests(ITestOutputHelper output)
    {
        _out = output;
    }

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    private static readonly string[] Base =
    {
        "kernel.profile=\"6.18\"", "workload.fork-exec.enabled=off", "workload.memory-pressure.enabled=on",
        "workload.memory-pressure.duration-s=12", "machine.memory-per-node-mb=256",
    };

    // Less than the node holds with the working set, more than it holds with the idle file data too.
    private static readonly string[] Hog = { "workload.memory-pressure.hog-mb=248", "workload.memory-pressure.hog-ramp-s=4", "workload.memory-pressure.idle-file-pages=2048" };

    // More than the node holds: the rest must go to swap.
    private static readonly string[] SwapHog = { "workload.memory-pressure.hog-mb=300", "workload.memory-pressure.hog-ramp-s=4", "memory.swap-mb=128" };

    private RunMetrics Run(ProbePolicy policy, params string[] overrides)
    {
        var s = ForkExecRuns.Settings(Base.Concat(overrides).ToArray());
        var outcome = MachineRun.Run(new SimLane(_system, _lanes++), new MachineSpec(s, policy, WorkloadCatalog.For(s)), 1, null);
        Assert.True(outcome.Succeeded, outcome.Failure);
        var m = outcome.Metrics!;
        _out.WriteLine($"{policy.Name}: reads {m.ReadsTotal} failed {m.ReadsFailed} causes {string.Join(", ", m.ByCause.Select(c => $"{c.Key} {c.Value}"))}; " +
            $"memory free {string.Join("/", m.Memory!.FreePagesByNode)} scanned {m.Memory.Scanned} evicted {m.Memory.EvictedFile} swapped {m.Memory.SwappedOut} refaulted {m.Memory.Refaulted} direct {m.Memory.DirectReclaims}; " +
            string.Join(", ", m.ByTarget.Select(t => $"{t.Key} {t.Value.Failed}/{t.Value.Total}")));
        return m;
    }

    private static TargetCounts Target(RunMetrics m, string name) => m.ByTarget.TryGetValue(name, out var t) ? t : new TargetCounts(0, 0, 0);

    [Fact]
    public void NoPressure_NothingIsReclaimed_EveryReadSucceeds()
    {
        var m = Run(ProbePolicy.NoFault);
        Assert.True(m.ReadsTotal > 300);
        Assert.Equal(0, m.ReadsFailed);
        Assert.Equal(0, m.Memory!.Scanned);
    }

    [Fact]
    public void EvictedFilePage_NofaultFailsNotMapped_HotPageReadableThroughout()
    {
        var m = Run(ProbePolicy.NoFault, Hog);
        Assert.True(m.Memory!.EvictedFile > 0);
        var idleFile = Target(m, MemoryPressureTargets.IdleFile);
        Assert.True(idleFile.Failed > idleFile.Total / 2, $"idle-file {idleFile.Failed}/{idleFile.Total}");
        Assert.Equal(idleFile.Failed, m.ByCause["not-mapped"]);
        // Without swap the anonymous buffer stays; the hot set keeps being referenced and stays mapped.
        Assert.Equal(0, Target(m, MemoryPressureTargets.IdleAnon).Failed);
        Assert.Equal(0, Target(m, MemoryPressureTargets.Hot).Failed);
        Assert.Equal(0, m.Memory.SwappedOut);
        // The first failures come only once the hog has filled the node.
        var firstFailNs = m.Timeline.First(b => b.ByTarget.TryGetValue(MemoryPressureTargets.IdleFile, out var t) && t.Failed > 0).StartNs;
        Assert.True(firstFailNs >= 2_000_000_000L, $"first idle-file failure in the bucket at {firstFailNs} ns");
        Assert.Contains(m.Timeline, b => b.Memory is { Scanned: > 0 });
    }

    [Fact]
    public void EvictedFilePage_IsAMajorFault_ForTheFaultingPolicies()
    {
        var minor = Run(ProbePolicy.TrylockMinor, Hog);
        var idle = Target(minor, MemoryPressureTargets.IdleFile);
        Assert.True(idle.Failed > 0);
        Assert.Equal(idle.Failed, minor.ByCause["major-fault"]);
        Assert.Equal(0, Target(minor, MemoryPressureTargets.Hot).Failed);

        // sleepable waits for the read from storage (costs.major-fault-ns) and succeeds; the page comes back (a refault).
        var sleepable = Run(ProbePolicy.Sleepable, Hog);
        Assert.Equal(0, sleepable.ReadsFailed);
        Assert.True(sleepable.ProbeLatencyNs.Max >= 100_000);
        Assert.True(sleepable.Memory!.Refaulted > 0);
    }

    [Fact]
    public void SwappedAnonPage_FailsSwappedOut()
    {
        var m = Run(ProbePolicy.NoFault, SwapHog);
        Assert.True(m.Memory!.SwappedOut > 0);
        var idleAnon = Target(m, MemoryPressureTargets.IdleAnon);
        Assert.True(idleAnon.Failed > 0);
        Assert.Equal(idleAnon.Failed, m.ByCause["swapped-out"]);
        // More than the node holds: a direct-reclaim burst can wrap the short inactive file list between two
        // touches of a hot file page (as without swap at 288 MiB), but rarely — the hot set stays almost always readable.
        var hot = Target(m, MemoryPressureTargets.Hot);
        Assert.True(hot.Failed <= hot.Total / 20, $"hot {hot.Failed}/{hot.Total}");

        var minor = Run(ProbePolicy.TrylockMinor, SwapHog);
        Assert.True(Target(minor, MemoryPressureTargets.IdleAnon).Failed > 0);
        Assert.False(minor.ByCause.ContainsKey("swapped-out"));
    }

    // Just past the low watermark: reclaim evicts the unmapped page cache of the program and libc and ages
    // the idle file data (folio_referenced() clears its PTEs' young bits: kept for another trip) without evicting it.
    private static readonly string[] AgingHog = { "workload.memory-pressure.hog-mb=241", "workload.memory-pressure.hog-ramp-s=4", "workload.memory-pressure.idle-file-pages=2048", "machine.arch=arm64" };

    [Fact]
    public void AgedPte_OnArm64WithoutHardwareAccessFlag_FailsPteOld()
    {
        var armv80 = Run(ProbePolicy.NoFault, AgingHog.Append("machine.hw-pte-young=off").ToArray());
        Assert.True(armv80.Memory!.Scanned > 0);
        var idleFile = Target(armv80, MemoryPressureTargets.IdleFile);
        Assert.True(idleFile.Failed > idleFile.Total / 2, $"idle-file {idleFile.Failed}/{idleFile.Total}");
        Assert.Equal(idleFile.Failed, armv80.ByCause["pte-old"]);
        // The hot pages are touched every 10 ms: each access-flag fault makes them young again before the probe reads.
        Assert.Equal(0, Target(armv80, MemoryPressureTargets.Hot).Failed);
        var firstFailNs = armv80.Timeline.First(b => b.ByTarget.TryGetValue(MemoryPressureTargets.IdleFile, out var t) && t.Failed > 0).StartNs;
        Assert.True(firstFailNs >= 2_000_000_000L, $"first idle-file failure in the bucket at {firstFailNs} ns");

        // The same aging on an arm64 core with FEAT_HAFDBS: old PTEs read fine, and nothing was evicted from the idle data.
        var hafdbs = Run(ProbePolicy.NoFault, AgingHog);
        Assert.Equal(0, hafdbs.ReadsFailed);

        // An access-flag fault is minor: the proposal resolves it in place.
        var minor = Run(ProbePolicy.TrylockMinor, AgingHog.Append("machine.hw-pte-young=off").ToArray());
        Assert.Equal(0, Target(minor, MemoryPressureTargets.IdleFile).Failed);
    }

    [Fact]
    public void CgroupLimit_ReclaimsTheTracedProcessAlone()
    {
        // No hog: the node has plenty free, but memory.max is below the process's footprint.
        var m = Run(ProbePolicy.NoFault, "workload.memory-pressure.cgroup-limit-mb=2", "memory.swap-mb=64");
        Assert.True(m.Memory!.FreePagesByNode[0] > 60_000);
        Assert.True(m.Memory.DirectReclaims > 0);
        Assert.True(Target(m, MemoryPressureTargets.IdleFile).Failed + Target(m, MemoryPressureTargets.IdleAnon).Failed > 0);
        Assert.Equal(0, Target(m, MemoryPressureTargets.Hot).Failed);
    }
}
