using System.Globalization;

namespace ActorKernel.Bench.Infra;

/// <summary>
/// CPU time of this process's threads, by the kernel's own accounting (/proc/self/task/*/stat, utime + stime,
/// in clock ticks of 10 ms: CLK_TCK is 100 on Linux). It tells what runs beside the lanes during a sweep:
/// the JIT's tiered-compilation thread, the finalizer, thread-pool workers, Akka's threads. Empty where
/// /proc is missing.
/// </summary>
public static class ThreadCpu
{
    private const double SecondsPerTick = 0.01;

    /// <summary>Thread id → (name, CPU seconds so far), for every live thread.</summary>
    public static Dictionary<int, (string Name, double CpuS)> Snapshot()
    {
        var threads = new Dictionary<int, (string, double)>();
        string[] dirs;
        try
        {
            dirs = Directory.GetDirectories("/proc/self/task");
        }
        catch (IOException)
        {
            return threads;
        }
        catch (UnauthorizedAccessException)
        {
            return threads;
        }
        foreach (var dir in dirs)
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // "tid (comm) state ppid …": comm may hold spaces, so split after its closing parenthesis.
                var open = stat.IndexOf('(');
                var close = stat.LastIndexOf(')');
                var fields = stat[(close + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                threads[int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture)] = (stat[(open + 1)..close], ticks * SecondsPerTick);
            }
            catch (IOException)
            {
                // The thread ended between the listing and the read.
            }
        }
        return threads;
    }

    /// <summary>
    /// CPU seconds spent between two snapshots by the threads alive at the end whose name does not start with
    /// <paramref name="excludedPrefix"/>, by thread name. Threads that ended in between are not seen.
    /// </summary>
    public static SortedDictionary<string, double> Since(Dictionary<int, (string Name, double CpuS)> before, string excludedPrefix)
    {
        var byName = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (tid, (name, cpuS)) in Snapshot())
        {
            if (name.StartsWith(excludedPrefix, StringComparison.Ordinal)) continue;
            var spent = cpuS - (before.TryGetValue(tid, out var b) ? b.CpuS : 0);
            byName[name] = byName.GetValueOrDefault(name) + spent;
        }
        return byName;
    }
}
