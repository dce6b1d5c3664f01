using System.Globalization;
using ActorKernel.Bench.Infra;
using ActorKernel.Bench.Toy;

namespace ActorKernel.Bench.Sections;

/// <summary>Section 2: the toy rw-lock model as a plain event loop and on the engine; same seed, same order.</summary>
public static class ReferenceSection
{
    public const string Name = "reference";

    /// <summary>≈1 M timed events per run at scale 1 (≈11.6 timed events per µs of virtual time).</summary>
    public static ToyParams Params(Harness h, double fraction = 1.0) => new(HorizonNs: Math.Max(100_000, (long)(90_000_000 * h.Scale * fraction)));

    public static void Run(Harness h)
    {
        var lane = BenchEnv.Lane(0);
        var p = Params(h);
        const ulong seed = 42;

        var plain = PlainToyLoop.Run(p, seed);
        var actors = ActorToyModel.Run(lane, p, seed);
        var r = h.Report;
        r.Fact("reference.plain.checksum", $"{plain.Checksum:x16} ({plain.Records} records, {plain.TimedEvents} timed events, end {plain.EndNs} ns)");
        r.Fact("reference.engine.checksum", $"{actors.Checksum:x16} ({actors.Records} records, {actors.TimedEvents} timed events, end {actors.EndNs} ns)");
        var match = plain == actors;
        r.Fact("reference.checksums-match", match ? "yes" : "NO");
        // A second seed and a repeat: the order is a function of the seed, not of the process or the lane.
        var plain7 = PlainToyLoop.Run(p with { HorizonNs = p.HorizonNs / 10 }, 7);
        var actors7 = ActorToyModel.Run(BenchEnv.Lane(1), p with { HorizonNs = p.HorizonNs / 10 }, 7);
        var repeat = ActorToyModel.Run(lane, p, seed);
        r.Fact("reference.seed7-match", plain7 == actors7 ? "yes" : "NO");
        r.Fact("reference.repeat-match", repeat == actors ? "yes" : "NO");
        if (!match || plain7 != actors7 || repeat != actors)
            Console.Error.WriteLine("WARNING: the engine's event order differs from the plain loop's");

        var cpu = new Dictionary<string, List<double>> { ["plain"] = new(), ["engine"] = new() };

        double Timed(string key, Action run)
        {
            var cpu0 = Environment.CpuUsage.TotalTime;
            var wall = Harness.Seconds(run);
            cpu[key].Add(plain.TimedEvents / (Environment.CpuUsage.TotalTime - cpu0).TotalSeconds);
            return plain.TimedEvents / wall;
        }

        double Plain() => Timed("plain", () => PlainToyLoop.Run(p, seed));
        double Engine() => Timed("engine", () => ActorToyModel.Run(lane, p, seed));
        var s = h.Interleaved(() =>
            {
                Plain();
                Engine();
            },
            ("plain", Plain),
            ("engine", Engine));
        r.Add(ResultRow.FromSamples(Name, "toy model, plain priority-queue loop", "events/s", s["plain"]));
        r.Add(ResultRow.FromSamples(Name, "toy model, engine (65 actors, Fifo)", "events/s", s["engine"],
            note: "wall time of SimLane.Run, set-up and tear-down included"));
        r.Add(ResultRow.Ratio(Name, "engine / plain", Stats.Median(s["engine"]) / Stats.Median(s["plain"]), TargetKind.AtLeast, 0.3));
        var plainCpu = cpu["plain"].TakeLast(h.Reps).ToList();
        var engineCpu = cpu["engine"].TakeLast(h.Reps).ToList();
        r.Add(ResultRow.FromSamples(Name, "toy model, plain loop, per CPU-second", "events/cpu-s", plainCpu));
        r.Add(ResultRow.FromSamples(Name, "toy model, engine, per CPU-second", "events/cpu-s", engineCpu));
        r.Add(ResultRow.Ratio(Name, "engine / plain, per CPU-second", Stats.Median(engineCpu) / Stats.Median(plainCpu)));
        r.Fact("reference.timed-events-per-run", plain.TimedEvents.ToString(CultureInfo.InvariantCulture));
    }
}
