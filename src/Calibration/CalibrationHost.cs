using System.Runtime.InteropServices;

namespace ActorKernel.Calibration;

/// <summary>What the real-kernel side needs from this machine; <see cref="Detect"/> looks, nothing is changed. NumaBalancing is kernel.numa_balancing as read (null: absent); only the numa-idle case looks at it.</summary>
/// <remarks>MemoryCgroup is where a memory cgroup can be made (null: no memory controller); only the memory-pressure case looks at it.</remarks>
public sealed record CalibrationHost(bool IsRoot, string? BpftracePath, string? CcPath, bool TracefsMounted, string? NumaBalancing = null, MemoryCgroupRoot? MemoryCgroup = null)
{
    public static CalibrationHost Detect() =>
        new(OperatingSystem.IsLinux() && geteuid() == 0, Which("bpftrace"), Which("cc"), IsTracefsMounted(), NumaBalancingSysctl.Read(), MemoryCgroupRoot.Detect());

    /// <summary>One plain sentence per missing precondition, saying how to fix it; empty when calibration can run.</summary>
    public IReadOnlyList<string> Missing()
    {
        var missing = new List<string>();
        if (!OperatingSystem.IsLinux()) missing.Add("calibration needs Linux (it traces the running kernel)");
        if (!IsRoot) missing.Add("not root: bpftrace needs root to attach probes (run it with sudo)");
        if (BpftracePath is null) missing.Add("bpftrace is not installed: install it: apt-get install bpftrace");
        if (CcPath is null) missing.Add("no C compiler 'cc' to build calibration/fork_exec.c: install it: apt-get install gcc");
        if (!TracefsMounted) missing.Add("tracefs is not mounted: mount it: mount -t tracefs nodev /sys/kernel/tracing");
        return missing;
    }

    public static string? Which(string program)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(dir, program);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    private static bool IsTracefsMounted()
    {
        try
        {
            return File.ReadLines("/proc/mounts").Any(l => l.Split(' ') is [_, _, "tracefs", ..]);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    [DllImport("libc", SetLastError = false)]
    private static extern uint geteuid();
}
