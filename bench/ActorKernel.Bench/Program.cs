using System.Globalization;
using ActorKernel.Bench.Infra;
using ActorKernel.Bench.Sections;

namespace ActorKernel.Bench;

public static class Program
{
    private const string Usage = """
        usage: dotnet run -c Release --project bench/ActorKernel.Bench -- <section> [options]
          sections: all | startup | engine | reference | parallel | memory | model | cluster | scale | sweeps | allocs | explore | micro
                 (sweeps: the second half of scale on its own: the real sweeps with 1 and 2 lanes)
                 (allocs: one sweep of each on 1 lane with allocation sampling: the top allocated types)
                 (startup: the README's main job through the built CLI dll, whole process, --reps times)
          --reps N     repetitions per figure, each after a warm-up (default 5); the median is reported
          --out FILE   where to write the JSON (default ./bench-results.json)
          --micro      with 'all': also run the BenchmarkDotNet micro-benchmarks (minutes)
          --scale F    multiply every work size by F (default 1; e.g. 0.05 for a smoke run)
          --max-execs N  the scale section's largest fork-exec run (default 100000; 1000000 takes minutes)
          --fork-only  scale: fork-exec at 1,000 and --max-execs only (the 10^6 check without the rest)
        """;

    /// <summary>/proc/loadavg: other processes on a shared machine explain a lot of noise.</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Trim();
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    public static int Main(string[] args)
    {
        string? section = null;
        var reps = 5;
        var outPath = "bench-results.json";
        var withMicro = false;
        var scale = 1.0;
        var maxExecs = 100_000L;
        var forkOnly = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--reps" when i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n > 0:
                    reps = n;
                    i++;
                    break;
                case "--out" when i + 1 < args.Length:
                    outPath = args[++i];
                    break;
                case "--micro":
                    withMicro = true;
                    break;
                case "--scale" when i + 1 < args.Length && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f > 0:
                    scale = f;
                    i++;
                    break;
                case "--max-execs" when i + 1 < args.Length && long.TryParse(args[i + 1], out var m) && m >= 1_000:
                    maxExecs = m;
                    i++;
                    break;
                case "--fork-only":
                    forkOnly = true;
                    break;
                case "-h" or "--help":
                    Console.WriteLine(Usage);
                    return 0;
                case "all" or "startup" or "engine" or "reference" or "parallel" or "memory" or "model" or "cluster" or "scale" or "sweeps" or "allocs" or "explore" or "micro" when section is null:
                    section = args[i];
                    break;
                default:
                    Console.Error.WriteLine($"unknown or malformed argument '{args[i]}'\n{Usage}");
                    return 2;
            }
        }
        if (section is null)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var report = new BenchReport
        {
            Machine = MachineInfo.Detect(),
            Command = "bench " + string.Join(' ', args),
            Reps = reps,
            Scale = scale,
        };
        var h = new Harness { Report = report, Reps = reps, Scale = scale, MaxExecs = maxExecs, ForkOnly = forkOnly, OutPath = outPath };
        Console.WriteLine($"ActorKernel bench: {section}, {reps} reps, scale {scale}; {report.Machine.ProcessorCount} cpus, {report.Machine.CpuModel}, {report.Machine.Runtime}");
#if DEBUG
        Console.Error.WriteLine("WARNING: Debug build — figures are meaningless; use -c Release");
#endif
        var sections = new List<(string Name, Action<Harness> Run)>();
        var all = section == "all";
        // Scale first: its peak-RSS targets are whole-process figures, and the sections before it would leave the
        // process hundreds of MB larger (the memory section's million queued events, the cluster's actor systems).
        if (all || section == ScaleSection.Name) sections.Add((ScaleSection.Name, ScaleSection.Run));
        if (all || section == StartupSection.Name) sections.Add((StartupSection.Name, StartupSection.Run));
        if (all || section == EngineSection.Name) sections.Add((EngineSection.Name, EngineSection.Run));
        if (all || section == ReferenceSection.Name) sections.Add((ReferenceSection.Name, ReferenceSection.Run));
        if (all || section == ParallelSection.Name) sections.Add((ParallelSection.Name, ParallelSection.Run));
        if (all || section == MemorySection.Name) sections.Add((MemorySection.Name, MemorySection.Run));
        if (all || section == ModelSection.Name) sections.Add((ModelSection.Name, ModelSection.Run));
        if (all || section == ClusterSection.Name) sections.Add((ClusterSection.Name, ClusterSection.Run));
        if (section == ScaleSection.SweepsName) sections.Add((ScaleSection.SweepsName, ScaleSection.Sweeps));
        if (section == AllocsSection.Name) sections.Add((AllocsSection.Name, AllocsSection.Run));
        if (all || section == ExploreSection.Name) sections.Add((ExploreSection.Name, ExploreSection.Run));
        if ((all && withMicro) || section == MicroSection.Name) sections.Add((MicroSection.Name, MicroSection.Run));

        try
        {
            foreach (var (name, run) in sections)
            {
                Console.WriteLine($"[{name}]");
                report.Fact($"loadavg.{name}.before", LoadAverage());
                run(h);
                report.Fact($"loadavg.{name}.after", LoadAverage());
            }
        }
        finally
        {
            BenchEnv.Shutdown();
        }

        Console.WriteLine();
        Console.WriteLine(report.Table());
        var misses = report.Rows.Where(r => r.Met == false).Select(r => $"{r.Section}: {r.Metric}").ToList();
        Console.WriteLine();
        Console.WriteLine(misses.Count == 0 ? "all targets met" : "targets missed: " + string.Join("; ", misses));
        report.WriteJson(outPath);
        Console.WriteLine($"wrote {Path.GetFullPath(outPath)}");
        return 0;
    }
}
