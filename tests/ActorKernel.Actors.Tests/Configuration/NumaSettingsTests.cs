using ActorKernel.Actors.Configuration;
using ActorKernel.Configuration;

namespace ActorKernel.Actors.Tests.Configuration;

public class NumaSettingsTests
{
    private static ActorKernelSettings Defaults(params string[] set) =>
        SettingsLoader.Load(null, set);

    [Fact]
    public void Reference_defaults_are_the_kernels()
    {
        var s = Defaults();
        Assert.False(s.NumaBalancing.Enabled);
        var p = s.NumaBalancing.Params;
        Assert.Equal((1000, 1000, 60000, 256), (p.ScanDelayMs, p.ScanPeriodMinMs, p.ScanPeriodMaxMs, p.ScanSizeMb));
        Assert.Equal((250, 3000L), (s.Sched.TickHz, s.Sched.TimeSliceUs));
        Assert.Equal(4_000_000, s.Sched.TickNs);
        Assert.Equal((2000L, 20000L), (s.NumaCosts.HintFaultNs, s.NumaCosts.MigratePageNs));
        Assert.Equal(1000, s.Metrics.TimelineBucketMs);
        var w = s.Workload.NumaIdle;
        Assert.False(w.Enabled);
        Assert.Equal((90, 4, 1, 64, 64, 100L), (w.DurationS, w.Threads, w.BusyThreads, w.HotPages, w.IdleBufferPages, w.ProbeIntervalMs));
        Assert.True(w.ReadIdleBuffer && w.ReadArgStart && w.ReadKernelTouchedBuffer);
    }

    [Fact]
    public void More_busy_threads_than_threads_is_an_error()
    {
        var e = Assert.Throws<ConfigError>(() => Defaults("workload.numa-idle.threads=2", "workload.numa-idle.busy-threads=3"));
        Assert.Equal("invalid value '3' for actor-kernel.workload.numa-idle.busy-threads: expected at most workload.numa-idle.threads (2)", e.Message);
    }

    [Fact]
    public void Scan_period_max_below_min_is_an_error()
    {
        var e = Assert.Throws<ConfigError>(() => Defaults("numa-balancing.scan-period-min-ms=5000", "numa-balancing.scan-period-max-ms=1000"));
        Assert.Contains("actor-kernel.numa-balancing.scan-period-max-ms", e.Message);
    }

    [Fact]
    public void A_misspelt_numa_key_names_the_nearest()
    {
        var e = Assert.Throws<ConfigError>(() => Defaults("numa-balancing.scan-dealy-ms=5"));
        Assert.Contains("did you mean 'actor-kernel.numa-balancing.scan-delay-ms'", e.Message);
    }
}
