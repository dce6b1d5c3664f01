using System.Diagnostics;
using System.Globalization;
using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Machine;
using ActorKernel.Actors.Workloads;
using ActorKernel.Bench.Infra;
using ActorKernel.Experiments.Running;
using ActorKernel.Experiments.Session;
using ActorKernel.Model;
using ScottPlot;

namespace ActorKernel.Bench.Sections;

/// <summary>
/// Section "scale": how a run's cost grows with its size, and what a second lane gives on the real
/// sweeps. (1) One run each of fork-exec at 10^3 … <see cref="Harness.MaxExecs"/> execs and of
/// numa-idle at 90 … 86,400 virtual seconds, on one lane: wall time, events/s, the process's peak
/// RSS during that run (VmHWM, reset before it through /proc/self/clear_refs) and the peak managed
/// heap (sampled every 10 ms). (2) The default fork-exec experiment with 1,000 execs per run and
/// config/experiments/seed-proposal.conf, whole sweeps with 1 and with 2 lanes (interleaved
/// repetitions). Writes a log-log plot of (1) next to the JSON (scale.png).
/// </summary>
public static class ScaleSection
{
    public const string Name = "scale";

    private static readonly string[] NumaIdle =
    {
        "workload.fork-exec.enabled=off", "workload.numa-idle.enabled=on", "numa-balancing.enabled=on", "machine.numa-nodes=1",
        "workload.numa-idle.threads=4", "workload.numa-idle.busy-threads=1",
    };

    public static void Run(Harness h)
    {
        // Tiered JIT needs a few runs before the hot paths are optimised: warm both workloads up first.
        for (var i = 0; i < 3; i++)
        {
            Once(["workload.fork-exec.execs=1000"]);
            Once([.. NumaIdle, "workload.numa-idle.duration-s=90"]);
        }
        var execs = new List<long>();
        for (long n = 1_000; n <= h.MaxExecs; n *= 10)
            if (!h.ForkOnly || n == 1_000 || n == h.MaxExecs) execs.Add(n);
        var fork = execs.Select(n => Measure(h, $"fork-exec {n:N0} execs", n, [$"workload.fork-exec.execs={n}"])).ToList();
        var smallest = fork[0].EventsPerS;
        h.Report.Add(ResultRow.Ratio(Name, $"fork-exec events/s, {execs[^1]:N0} / 1,000 execs", fork[^1].EventsPerS / smallest,
            TargetKind.AtLeast, 0.8, note: "within 20 % of the small run"));
        h.Report.Add(ResultRow.Ratio(Name, $"fork-exec events per CPU-second, {execs[^1]:N0} / 1,000 execs", fork[^1].EventsPerCpuS / fork[0].EventsPerCpuS,
            note: "the same ratio, other processes' share of the machine taken out"));
        h.Report.Add(ResultRow.FromSamples(Name, $"fork-exec peak RSS at {execs[^1]:N0} execs", "MB", [fork[^1].PeakRssMb], TargetKind.AtMost, 200));
        if (h.ForkOnly) return;
        var numa = new long[] { 90, 900, 9_000, 86_400 }
            .Select(s => Measure(h, $"numa-idle {s:N0} s", s, [.. NumaIdle, $"workload.numa-idle.duration-s={s}"])).ToList();
        h.Report.Add(ResultRow.FromSamples(Name, "numa-idle peak RSS at 86,400 s", "MB", [numa[^1].PeakRssMb], TargetKind.AtMost, 200));
        Plot(h, fork, numa);
        Sweeps(h);
    }

    private static MachineRunOutcome Once(string[] overrides)
    {
        var settings = SettingsLoader.Load(null, overrides);
        return MachineRun.Run(BenchEnv.Lane(3), new MachineSpec(settings, Nofault, WorkloadCatalog.For(settings)), 1);
    }

    private static ProbePolicy Nofault => ProbePolicy.All.First(p => p.Name == "nofault");

    private sealed record Point(long Size, double WallS, double EventsPerS, double EventsPerCpuS, double PeakRssMb, double PeakHeapMb);

    // One run (after a warm-up run at the smallest size of its kind), its peak memory measured while it runs.
    private static Point Measure(Harness h, string label, long size, string[] overrides)
    {
        var settings = SettingsLoader.Load(null, overrides);
        var spec = new MachineSpec(settings, Nofault, WorkloadCatalog.For(settings));
        var lane = BenchEnv.Lane(3);
        Harness.CollectQuietly();
        // Give freed memory back to the system first: in `all`, earlier sections (a million queued timed events on
        // six lanes) leave the heap hundreds of MB large, and the reset takes the current RSS as the new peak.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        ResetPeakRss();
        long peakHeap = 0;
        using var stop = new CancellationTokenSource();
        var sampler = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                stop.Token.WaitHandle.WaitOne(10);
            }
        }) { IsBackground = true };
        sampler.Start();
        MachineRunOutcome? outcome = null;
        var cpu0 = Environment.CpuUsage.TotalTime;
        var allocated0 = GC.GetTotalAllocatedBytes(precise: true);
        var wall = Harness.Seconds(() => outcome = MachineRun.Run(lane, spec, 1));
        var cpuS = (Environment.CpuUsage.TotalTime - cpu0).TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated0;
        stop.Cancel();
        sampler.Join();
        if (!outcome!.Succeeded) throw new InvalidOperationException($"{label}: {outcome.Failure}");
        var p = new Point(size, wall, outcome.Events / wall, outcome.Events / cpuS, PeakRssBytes() / 1e6, peakHeap / 1e6);
        h.Report.Add(ResultRow.FromSamples(Name, $"{label}: wall time", "s", [p.WallS], note: $"{outcome.Events:N0} events"));
        h.Report.Add(ResultRow.FromSamples(Name, $"{label}: events/s", "events/s", [p.EventsPerS]));
        h.Report.Add(ResultRow.FromSamples(Name, $"{label}: events per CPU-second", "events/cpu-s", [p.EventsPerCpuS],
            note: "process CPU time: steadier than wall time on a shared machine"));
        h.Report.Add(ResultRow.FromSamples(Name, $"{label}: peak RSS", "MB", [p.PeakRssMb], note: "whole process, VmHWM"));
        h.Report.Add(ResultRow.FromSamples(Name, $"{label}: peak managed heap", "MB", [p.PeakHeapMb]));
        h.Report.Add(ResultRow.FromSamples(Name, $"{label}: allocated per event", "B/event", [(double)allocated / outcome.Events],
            note: "every thread; what a second lane's GCs have to collect"));
        Console.WriteLine($"  {label}: {p.WallS:F2} s, {p.EventsPerS:N0} events/s, {p.EventsPerCpuS:N0} events/cpu-s, peak RSS {p.PeakRssMb:F0} MB, heap {p.PeakHeapMb:F0} MB");
        return p;
    }

    /// <summary>Section "sweeps": the second half of "scale" on its own (the real sweeps, 1 lane against 2).</summary>
    public const string SweepsName = "sweeps";

    // The real sweeps, 1 lane against 2 in the same invocation: whole-sweep wall time as `run --parallel N`
    // spends it between the plan and the output (each finished run journaled to runs.jsonl, in a scratch
    // folder), without start-up (the runner's actor system and lanes included, as `run` starts them while it
    // prepares) and output writing, which do not depend on the lanes.
    public static void Sweeps(Harness h)
    {
        foreach (var (label, session) in RealSweeps())
        {
            double Sweep(int lanes) => SweepOnce(session, label, lanes);
            var phases = new Dictionary<int, List<SweepPhases>> { [1] = new(), [2] = new() };
            var cpu = new Dictionary<int, List<double>> { [1] = new(), [2] = new() };
            var cpuSeconds = new Dictionary<int, List<double>> { [1] = new(), [2] = new() };
            var pauseSeconds = new Dictionary<int, List<double>> { [1] = new(), [2] = new() };
            var allocatedMb = new Dictionary<int, List<double>> { [1] = new(), [2] = new() };
            var gcs = new Dictionary<int, (int Gen0, int Gen1, int Gen2)>();
            var offLane = new Dictionary<int, List<double>> { [1] = new(), [2] = new() };
            var offLaneByThread = new Dictionary<int, Dictionary<string, List<double>>> { [1] = new(), [2] = new() };
            double Timed(int lanes)
            {
                var threads0 = ThreadCpu.Snapshot();
                var allocated0 = GC.GetTotalAllocatedBytes(precise: true);
                var cpu0 = Environment.CpuUsage.TotalTime;
                var pause0 = GC.GetTotalPauseDuration();
                var (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
                var p = SweepPhased(session, label, lanes);
                var s = p.WallS;
                phases[lanes].Add(p);
                var cpuS = (Environment.CpuUsage.TotalTime - cpu0).TotalSeconds;
                cpu[lanes].Add(cpuS / s);
                cpuSeconds[lanes].Add(cpuS);
                pauseSeconds[lanes].Add((GC.GetTotalPauseDuration() - pause0).TotalSeconds);
                allocatedMb[lanes].Add((GC.GetTotalAllocatedBytes(precise: true) - allocated0) / 1e6);
                gcs[lanes] = (GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2);
                // Lane threads are named actorkernel-<dispatcher id> (ExperimentRunner) and end with the sweep.
                var off = ThreadCpu.Since(threads0, "actorkernel-");
                offLane[lanes].Add(off.Values.Sum());
                foreach (var (thread, threadCpuS) in off)
                {
                    if (!offLaneByThread[lanes].TryGetValue(thread, out var list)) offLaneByThread[lanes][thread] = list = new List<double>();
                    list.Add(threadCpuS);
                }
                return s;
            }
            var s = h.Interleaved(() => WarmUntilJitQuiet(h, label, Sweep), ("1", () => Timed(1)), ("2", () => Timed(2)));
            h.Report.Add(ResultRow.FromSamples(Name, $"{label} ({session.Plan.Runs.Count} runs), 1 lane", "s", s["1"]));
            h.Report.Add(ResultRow.FromSamples(Name, $"{label}, 2 lanes", "s", s["2"]));
            h.Report.Add(ResultRow.FromSamples(Name, $"{label}: CPU cores used, 1 lane", "cores", cpu[1]));
            h.Report.Add(ResultRow.FromSamples(Name, $"{label}: CPU cores used, 2 lanes", "cores", cpu[2]));
            h.Report.Add(ResultRow.FromSamples(Name, $"{label}: process CPU per sweep, 1 lane", "cpu-s", cpuSeconds[1]));
            h.Report.Add(ResultRow.FromSamples(Name, $"{label}: process CPU per sweep, 2 lanes", "cpu-s", cpuSeconds[2],
                note: "the same work; more than 1 lane's means the second lane costs CPU (contention, GC)"));
            h.Report.Add(ResultRow.FromSamples(Name, $"{label}: GC pauses per sweep, 1 lane", "s", pauseSeconds[1]));
            h.Report.Add(ResultRow.FromSamples(Name, $"{label}: GC pauses per sweep, 2 lanes", "s", pauseSeconds[2],
                note: "every lane stops while the GC runs: the part of a sweep a second core cannot halve"));
            h.Report.Add(ResultRow.FromSamples(Name, $"{label}: allocated per sweep, 1 lane", "MB", allocatedMb[1],
                note: "every thread; the garbage whose collections stop both lanes"));
            h.Report.Add(ResultRow.FromSamples(Name, $"{label}: CPU off the lane threads per sweep, 1 lane", "cpu-s", offLane[1],
                note: "threads alive after the sweep other than the lanes (JIT, finalizer, thread pool, Akka, the waiting caller); 10 ms ticks"));
            h.Report.Add(ResultRow.FromSamples(Name, $"{label}: CPU off the lane threads per sweep, 2 lanes", "cpu-s", offLane[2]));
            foreach (var (lanes, byThread) in offLaneByThread.OrderBy(kv => kv.Key))
                h.Report.Fact($"{Name}.{label}.off-lane-cpu-{lanes}-lanes",
                    string.Join(", ", byThread.Where(kv => Stats.Median(kv.Value) > 0).OrderByDescending(kv => Stats.Median(kv.Value))
                        .Select(kv => $"{kv.Key} {Stats.Median(kv.Value).ToString("F2", CultureInfo.InvariantCulture)} cpu-s")));
            foreach (var (lanes, ps) in phases.OrderBy(kv => kv.Key))
            {
                string M(Func<SweepPhases, double> f) => Stats.Median(ps.Select(f).ToList()).ToString("F3", CultureInfo.InvariantCulture);
                h.Report.Fact($"{Name}.{label}.phases-{lanes}-lanes",
                    $"median s: journal open {M(q => q.JournalOpenS)}, lanes {M(q => q.LanesS)} (idle tail {M(q => q.TailS)}), journal close {M(q => q.JournalCloseS)}; " +
                    $"outside the sweep's time: runner start {M(q => q.RunnerStartS)}, runner stop {M(q => q.RunnerStopS)}");
                Console.WriteLine($"  {label}, {lanes} lane(s): journal open {M(q => q.JournalOpenS)} s, lanes {M(q => q.LanesS)} s (idle tail {M(q => q.TailS)} s), " +
                                  $"journal close {M(q => q.JournalCloseS)} s; runner start {M(q => q.RunnerStartS)} s and stop {M(q => q.RunnerStopS)} s (not timed)");
            }
            foreach (var (lanes, (gen0, gen1, gen2)) in gcs.OrderBy(kv => kv.Key))
                h.Report.Fact($"{Name}.{label}.collections-last-sweep-{lanes}-lanes", $"gen0 {gen0}, gen1 {gen1}, gen2 {gen2}");
            var ratio = Stats.Median(s["1"]) / Stats.Median(s["2"]);
            h.Report.Add(ResultRow.Ratio(Name, $"{label}: 2 lanes / 1 lane", ratio, TargetKind.AtLeast, 1.8));
            Console.WriteLine($"  {label}: 1 lane {Stats.Median(s["1"]):F2} s, 2 lanes {Stats.Median(s["2"]):F2} s, {ratio:F2}x; " +
                              $"CPU {Stats.Median(cpuSeconds[1]):F2} vs {Stats.Median(cpuSeconds[2]):F2} cpu-s, GC pauses {Stats.Median(pauseSeconds[1]):F3} vs {Stats.Median(pauseSeconds[2]):F3} s, " +
                              $"allocated {Stats.Median(allocatedMb[1]):F0} MB per sweep; " +
                              $"last sweeps' collections (gen0/gen1/gen2) {string.Join(" vs ", gcs.OrderBy(kv => kv.Key).Select(kv => $"{kv.Value.Gen0}/{kv.Value.Gen1}/{kv.Value.Gen2}"))}");
        }
    }

    /// <summary>
    /// Warm-up sweeps, 2 lanes and 1 in turn, until the JIT's tiered-compilation thread spends under 5 % of a sweep's
    /// process CPU in two sweeps running (<see cref="MaxWarmUpSweeps"/> at most). One warm-up sweep was not enough: the
    /// tiered JIT went on recompiling hot methods on its own thread through the measured sweeps (27–34 % of their CPU,
    /// the "1.3–1.5 cores per lane"), which a second lane has to share a core with. A process pays that once; the ratio
    /// is about the lanes. With TieredPGO on (the bench's setting) the fork-exec sweep needs about 20 sweeps: methods
    /// called a few times per run cross the call-count threshold one batch per sweep, and each goes through the
    /// instrumented tier first; one quiet sweep between two busy ones is common, hence two in a row.
    /// </summary>
    private static void WarmUntilJitQuiet(Harness h, string label, Func<int, double> sweep)
    {
        var jitShare = double.NaN;
        var sweeps = 0;
        var quietInARow = 0;
        while (sweeps < MaxWarmUpSweeps)
        {
            var threads0 = ThreadCpu.Snapshot();
            var cpu0 = Environment.CpuUsage.TotalTime;
            sweep(sweeps % 2 == 0 ? 2 : 1);
            sweeps++;
            var cpuS = (Environment.CpuUsage.TotalTime - cpu0).TotalSeconds;
            var jitS = ThreadCpu.Since(threads0, "actorkernel-").Where(kv => kv.Key.StartsWith(".NET Tiered", StringComparison.Ordinal)).Sum(kv => kv.Value);
            jitShare = jitS / cpuS;
            quietInARow = jitShare < 0.05 ? quietInARow + 1 : 0;
            if (quietInARow >= 2) break;
        }
        var fact = $"{sweeps} sweeps; the tiered JIT's share of the last one's CPU {jitShare.ToString("P0", CultureInfo.InvariantCulture)}" +
                   (quietInARow >= 2 ? "" : " (not quiet: the measured sweeps include JIT work)");
        h.Report.Fact($"{Name}.{label}.warm-up", fact);
    }

    private const int MaxWarmUpSweeps = 40;

    /// <summary>The two real sweeps of issue 13: the built-in fork-exec experiment at 1,000 execs per run, and seed-proposal.</summary>
    public static IEnumerable<(string Label, ExperimentSession Session)> RealSweeps()
    {
        yield return ("fork-exec sweep, 1,000 execs per run", ExperimentSession.Prepare(null, ["workload.fork-exec.execs=1000"]));
        yield return ("seed-proposal sweep", ExperimentSession.Prepare(Path.Combine(BenchEnv.RepoRoot(), "config", "experiments", "seed-proposal.conf"), []));
    }

    /// <summary>
    /// One whole sweep on <paramref name="lanes"/> lanes, journaled to a scratch folder as `run` does; its wall seconds
    /// (see <see cref="SweepPhased"/> for what they include).
    /// </summary>
    public static double SweepOnce(ExperimentSession session, string label, int lanes) => SweepPhased(session, label, lanes).WallS;

    /// <summary>
    /// Where one sweep's time goes: opening the journal, the lanes' runs, the idle tail within them (from the first lane
    /// running out of runs to the last one finishing, when a core has nothing to do) and closing the journal, which make
    /// the sweep's wall time; and, outside it, creating and stopping the runner (its actor system and lanes).
    /// </summary>
    public readonly record struct SweepPhases(double WallS, double JournalOpenS, double LanesS, double TailS, double JournalCloseS, double RunnerStartS, double RunnerStopS);

    /// <summary>
    /// As <see cref="SweepOnce"/>, with the sweep's phases. The runner is created before the clock starts and stopped
    /// after it stops, as `run` does: the CLI creates its actor system and lanes on another core while it prepares the
    /// experiment (src/Cli/RunCommand.cs) and stops them after writing the output, so that cost, 5–20 ms, is start-up
    /// and shut-down, not the sweep's, and does not depend on how the runs are spread over the lanes.
    /// </summary>
    public static SweepPhases SweepPhased(ExperimentSession session, string label, int lanes)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"actorkernel-bench-{Environment.ProcessId}", "sweep");
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        var r0 = Stopwatch.GetTimestamp();
        var runner = new ExperimentRunner(lanes);
        var t0 = Stopwatch.GetTimestamp();
        var journal = session.OpenJournal(dir, resume: false);
        var t1 = Stopwatch.GetTimestamp();
        var lastByLane = new LaneFinishes();
        session.Run(journal, runner, lastByLane, CancellationToken.None);
        var t2 = Stopwatch.GetTimestamp();
        if (journal.Count != session.Plan.Runs.Count) throw new InvalidOperationException($"{label}: {journal.Count} of {session.Plan.Runs.Count} runs");
        journal.Dispose();
        var t3 = Stopwatch.GetTimestamp();
        runner.Dispose();
        var r1 = Stopwatch.GetTimestamp();
        Directory.Delete(Path.GetDirectoryName(dir)!, recursive: true);
        static double S(long from, long to) => (to - from) / (double)Stopwatch.Frequency;
        var tail = lastByLane.Count > 1 ? S(lastByLane.FirstLaneDone, lastByLane.LastLaneDone) : 0;
        return new SweepPhases(S(t0, t3), S(t0, t1), S(t1, t2), tail, S(t2, t3), S(r0, t0), S(t3, r1));
    }

    // The time each lane thread reported its last finished run (progress is reported on the lane's thread).
    private sealed class LaneFinishes : IProgress<RunProgress>
    {
        private readonly Dictionary<int, long> _last = new();

        public int Count
        {
            get { lock (_last) return _last.Count; }
        }

        public long FirstLaneDone
        {
            get { lock (_last) return _last.Values.Min(); }
        }

        public long LastLaneDone
        {
            get { lock (_last) return _last.Values.Max(); }
        }

        public void Report(RunProgress value)
        {
            var now = Stopwatch.GetTimestamp();
            lock (_last) _last[Environment.CurrentManagedThreadId] = now;
        }
    }

    private static void Plot(Harness h, IReadOnlyList<Point> fork, IReadOnlyList<Point> numa)
    {
        var plot = new Plot();
        void Series(IReadOnlyList<Point> points, Func<Point, double> y, string legend, LinePattern pattern)
        {
            var line = plot.Add.Scatter(points.Select(p => Math.Log10(p.Size)).ToArray(), points.Select(p => Math.Log10(y(p))).ToArray());
            line.LegendText = legend;
            line.LinePattern = pattern;
            line.MarkerSize = 7;
        }
        Series(fork, p => p.WallS, "fork-exec: wall time (s)", LinePattern.Solid);
        Series(fork, p => p.PeakRssMb, "fork-exec: peak RSS (MB)", LinePattern.Dashed);
        Series(fork, p => p.EventsPerS / 1e3, "fork-exec: k events/s", LinePattern.Dotted);
        Series(numa, p => p.WallS, "numa-idle: wall time (s)", LinePattern.Solid);
        Series(numa, p => p.PeakRssMb, "numa-idle: peak RSS (MB)", LinePattern.Dashed);
        Series(numa, p => p.EventsPerS / 1e3, "numa-idle: k events/s", LinePattern.Dotted);
        // Decades below 1 (0.1 s) keep their digits: "N0" printed 0.1 as "0".
        static string Power(double tick) => Math.Abs(tick - Math.Round(tick)) >= 1e-9 ? ""
            : tick < 0 ? Math.Pow(10, Math.Round(tick)).ToString("0.###", CultureInfo.InvariantCulture)
            : Math.Pow(10, Math.Round(tick)).ToString("N0", CultureInfo.InvariantCulture);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = Power, IntegerTicksOnly = true };
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = Power, IntegerTicksOnly = true };
        plot.Title("ActorKernel: one run against its size (log-log)");
        plot.XLabel("run size: execs (fork-exec) or virtual seconds (numa-idle)");
        plot.YLabel("wall s · peak RSS MB · k events/s");
        plot.ShowLegend(Edge.Right);
        var path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(h.OutPath)) ?? ".", "scale.png");
        plot.SavePng(path, 1100, 560);
        h.Report.Fact($"{Name}.plot", path);
        Console.WriteLine($"  wrote {path}");
    }

    // Linux: writing 5 to clear_refs resets the peak RSS (VmHWM) to the current RSS.
    private static void ResetPeakRss()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static double PeakRssBytes()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? double.NaN : double.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }
}
