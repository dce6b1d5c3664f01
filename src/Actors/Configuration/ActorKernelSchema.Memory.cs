using ActorKernel.Configuration;
using static ActorKernel.Configuration.SettingKinds;

namespace ActorKernel.Actors.Configuration;

/// <summary>The keys of memory, reclaim and the memory-pressure workload (reference.conf documents them).</summary>
public static partial class ActorKernelSchema
{
    private static readonly ConfigKey<long> MemoryPerNodeMb = Schema.Add("machine.memory-per-node-mb", Integer(16, 1L << 32));
    private static readonly ConfigKey<int> WatermarkScaleFactor = Schema.Add("memory.watermark-scale-factor", Int32(1, 3000));
    private static readonly ConfigKey<long> SwapMb = Schema.Add("memory.swap-mb", Integer(0, 1L << 32));
    private static readonly ConfigKey<int> Swappiness = Schema.Add("memory.swappiness", Int32(0, 200));
    private static readonly ConfigKey<string> Lru = Schema.Add("memory.lru", OneOf(["classic"]));

    private static readonly ConfigKey<CostDistribution> SwapInNs = Schema.Add("costs.swap-in-ns", Cost);
    private static readonly ConfigKey<CostDistribution> ReclaimNsPerPage = Schema.Add("costs.reclaim-ns-per-page", Cost);

    private static readonly ConfigKey<bool> PressureEnabled = Schema.Add("workload.memory-pressure.enabled", Flag);
    private static readonly ConfigKey<int> PressureDurationS = Schema.Add("workload.memory-pressure.duration-s", Int32(1, 86_400));
    private static readonly ConfigKey<int> PressureHotPages = Schema.Add("workload.memory-pressure.hot-pages", Int32(1, 1_000_000));
    private static readonly ConfigKey<int> PressureIdleFilePages = Schema.Add("workload.memory-pressure.idle-file-pages", Int32(1, 1_000_000));
    private static readonly ConfigKey<int> PressureIdleAnonPages = Schema.Add("workload.memory-pressure.idle-anon-pages", Int32(1, 1_000_000));
    private static readonly ConfigKey<long> PressureHogMb = Schema.Add("workload.memory-pressure.hog-mb", Integer(0, 1L << 20));
    private static readonly ConfigKey<int> PressureHogRampS = Schema.Add("workload.memory-pressure.hog-ramp-s", Int32(1, 86_400));
    private static readonly ConfigKey<long> PressureCgroupLimitMb = Schema.Add("workload.memory-pressure.cgroup-limit-mb", Integer(0, 1L << 32));
    private static readonly ConfigKey<long> PressureProbeIntervalMs = Schema.Add("workload.memory-pressure.probe-interval-ms", Integer(1, 3_600_000));

    private static MemorySettings BindMemory(ResolvedConfig c) => new()
    {
        MemoryPerNodeMb = c.Get(MemoryPerNodeMb),
        WatermarkScaleFactor = c.Get(WatermarkScaleFactor),
        SwapMb = c.Get(SwapMb),
        Swappiness = c.Get(Swappiness),
        Lru = c.Get(Lru),
    };

    private static MemoryPressureSettings BindMemoryPressure(ResolvedConfig c)
    {
        var w = new MemoryPressureSettings
        {
            Enabled = c.Get(PressureEnabled),
            DurationS = c.Get(PressureDurationS),
            HotPages = c.Get(PressureHotPages),
            IdleFilePages = c.Get(PressureIdleFilePages),
            IdleAnonPages = c.Get(PressureIdleAnonPages),
            HogMb = c.Get(PressureHogMb),
            HogRampS = c.Get(PressureHogRampS),
            CgroupLimitMb = c.Get(PressureCgroupLimitMb),
            ProbeIntervalMs = c.Get(PressureProbeIntervalMs),
        };
        if (w.Enabled && w.HogMb > 0 && w.HogRampS > w.DurationS)
            throw new ConfigError($"invalid value '{w.HogRampS}' for {PressureHogRampS.Path}: expected at most workload.memory-pressure.duration-s ({w.DurationS})");
        return w;
    }
}
