namespace ActorKernel.Model;

/// <summary>
/// The automatic NUMA balancing sysctls (kernel/sched/fair.c sysctl_numa_balancing_*), in the
/// kernel's units. Defaults are the kernel's.
/// </summary>
public sealed record NumaBalancingParams
{
    /// <summary>sysctl_numa_balancing_scan_delay: runtime before a task's first scan, and a new VMA's quiet period (6.4+).</summary>
    public int ScanDelayMs { get; init; } = 1000;

    /// <summary>sysctl_numa_balancing_scan_period_min.</summary>
    public int ScanPeriodMinMs { get; init; } = 1000;

    /// <summary>sysctl_numa_balancing_scan_period_max.</summary>
    public int ScanPeriodMaxMs { get; init; } = 60000;

    /// <summary>sysctl_numa_balancing_scan_size: MB of pages a pass marks (it walks at most 8× that of address space).</summary>
    public int ScanSizeMb { get; init; } = 256;

    /// <summary>Pages a pass may mark: scan_size &lt;&lt; (20 - PAGE_SHIFT).</summary>
    public long ScanPages => (long)ScanSizeMb << (20 - Pages.Shift);

    /// <summary>kernel/sched/fair.c VMA_PID_RESET_PERIOD: 4 × scan_delay.</summary>
    public long PidResetPeriodNs => SimTime.MsToNs(4L * ScanDelayMs);
}
