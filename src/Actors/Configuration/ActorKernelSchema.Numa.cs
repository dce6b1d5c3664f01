using ActorKernel.Configuration;
using ActorKernel.Model;
using static ActorKernel.Configuration.SettingKinds;

namespace ActorKernel.Actors.Configuration;

/// <summary>The keys of automatic NUMA balancing, CPU scheduling, the timeline and the numa-idle workload (reference.conf documents them).</summary>
public static partial class ActorKernelSchema
{
    private static readonly ConfigKey<int> TickHz = Schema.Add("machine.tick-hz", Int32(100, 1000));
    private static readonly ConfigKey<long> TimeSliceUs = Schema.Add("machine.time-slice-us", Integer(100, 1_000_000));

    private static readonly ConfigKey<bool> NumaEnabled = Schema.Add("numa-balancing.enabled", Flag);
    private static readonly ConfigKey<int> NumaScanDelayMs = Schema.Add("numa-balancing.scan-delay-ms", Int32(0, 3_600_000));
    private static readonly ConfigKey<int> NumaScanPeriodMinMs = Schema.Add("numa-balancing.scan-period-min-ms", Int32(1, 3_600_000));
    private static readonly ConfigKey<int> NumaScanPeriodMaxMs = Schema.Add("numa-balancing.scan-period-max-ms", Int32(1, 3_600_000));
    private static readonly ConfigKey<int> NumaScanSizeMb = Schema.Add("numa-balancing.scan-size-mb", Int32(1, 1_048_576));

    private static readonly ConfigKey<CostDistribution> NumaHintFaultNs = Schema.Add("costs.numa-hint-fault-ns", Cost);
    private static readonly ConfigKey<CostDistribution> NumaMigratePageNs = Schema.Add("costs.numa-migrate-page-ns", Cost);
    private static readonly ConfigKey<CostDistribution> NumaScanChunkNs = Schema.Add("costs.numa-scan-chunk-ns", Cost);
    private static readonly ConfigKey<CostDistribution> NumaScanPteNs = Schema.Add("costs.numa-scan-pte-ns", Cost);

    private static readonly ConfigKey<long> TimelineBucketMs = Schema.Add("metrics.timeline-bucket-ms", Integer(1, 3_600_000));

    private static readonly ConfigKey<bool> NumaIdleEnabled = Schema.Add("workload.numa-idle.enabled", Flag);
    private static readonly ConfigKey<int> NumaIdleDurationS = Schema.Add("workload.numa-idle.duration-s", Int32(1, 86_400));
    private static readonly ConfigKey<int> NumaIdleThreads = Schema.Add("workload.numa-idle.threads", Int32(1, 1024));
    private static readonly ConfigKey<int> NumaIdleBusyThreads = Schema.Add("workload.numa-idle.busy-threads", Int32(0, 1024));
    private static readonly ConfigKey<int> NumaIdleHotPages = Schema.Add("workload.numa-idle.hot-pages", Int32(1, 1_000_000));
    private static readonly ConfigKey<int> NumaIdleIdlePages = Schema.Add("workload.numa-idle.idle-buffer-pages", Int32(1, 1_000_000));
    private static readonly ConfigKey<int> NumaIdleKernelPages = Schema.Add("workload.numa-idle.kernel-touched-pages", Int32(1, 1_000_000));
    private static readonly ConfigKey<long> NumaIdleProbeIntervalMs = Schema.Add("workload.numa-idle.probe-interval-ms", Integer(1, 3_600_000));
    private static readonly ConfigKey<long> NumaIdleBusyBurstMs = Schema.Add("workload.numa-idle.busy-burst-ms", Integer(1, 3_600_000));
    private static readonly ConfigKey<long> NumaIdleMigrateMs = Schema.Add("workload.numa-idle.busy-migrate-interval-ms", Integer(0, 3_600_000));
    private static readonly ConfigKey<bool> NumaIdleReadIdle = Schema.Add("workload.numa-idle.reads.idle-buffer", Flag);
    private static readonly ConfigKey<bool> NumaIdleReadArgStart = Schema.Add("workload.numa-idle.reads.arg-start", Flag);
    private static readonly ConfigKey<bool> NumaIdleReadKernel = Schema.Add("workload.numa-idle.reads.kernel-touched-buffer", Flag);

    private static SchedSettings BindSched(ResolvedConfig c) => new() { TickHz = c.Get(TickHz), TimeSliceUs = c.Get(TimeSliceUs) };

    private static NumaBalancingSettings BindNumaBalancing(ResolvedConfig c)
    {
        var min = c.Get(NumaScanPeriodMinMs);
        var max = c.Get(NumaScanPeriodMaxMs);
        if (max < min)
            throw new ConfigError($"invalid value '{max}' for {NumaScanPeriodMaxMs.Path}: expected at least scan-period-min-ms ({min})");
        return new NumaBalancingSettings
        {
            Enabled = c.Get(NumaEnabled),
            Params = new NumaBalancingParams
            {
                ScanDelayMs = c.Get(NumaScanDelayMs),
                ScanPeriodMinMs = min,
                ScanPeriodMaxMs = max,
                ScanSizeMb = c.Get(NumaScanSizeMb),
            },
        };
    }

    private static NumaCostsSettings BindNumaCosts(ResolvedConfig c)
    {
        var varying = new Dictionary<string, CostDistribution>(StringComparer.Ordinal);
        return new NumaCostsSettings
        {
            HintFaultNs = CostNs(c, NumaHintFaultNs, varying),
            MigratePageNs = CostNs(c, NumaMigratePageNs, varying),
            ScanChunkNs = CostNs(c, NumaScanChunkNs, varying),
            ScanPteNs = CostNs(c, NumaScanPteNs, varying),
            Varying = new VaryingCosts(varying),
        };
    }

    private static MetricsSettings BindMetrics(ResolvedConfig c) => new() { TimelineBucketMs = c.Get(TimelineBucketMs) };

    private static NumaIdleSettings BindNumaIdle(ResolvedConfig c)
    {
        var threads = c.Get(NumaIdleThreads);
        var busy = c.Get(NumaIdleBusyThreads);
        if (busy > threads)
            throw new ConfigError($"invalid value '{busy}' for {NumaIdleBusyThreads.Path}: expected at most workload.numa-idle.threads ({threads})");
        return new NumaIdleSettings
        {
            Enabled = c.Get(NumaIdleEnabled),
            DurationS = c.Get(NumaIdleDurationS),
            Threads = threads,
            BusyThreads = busy,
            HotPages = c.Get(NumaIdleHotPages),
            IdleBufferPages = c.Get(NumaIdleIdlePages),
            KernelTouchedPages = c.Get(NumaIdleKernelPages),
            ProbeIntervalMs = c.Get(NumaIdleProbeIntervalMs),
            BusyBurstMs = c.Get(NumaIdleBusyBurstMs),
            BusyMigrateIntervalMs = c.Get(NumaIdleMigrateMs),
            ReadIdleBuffer = c.Get(NumaIdleReadIdle),
            ReadArgStart = c.Get(NumaIdleReadArgStart),
            ReadKernelTouchedBuffer = c.Get(NumaIdleReadKernel),
        };
    }
}
