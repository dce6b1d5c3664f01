using ActorKernel.Actors.Engine;
using ActorKernel.Bench.Engine;
using ActorKernel.Bench.Infra;

namespace ActorKernel.Bench.Sections;

/// <summary>Section 1: simulated ping-pong (direct tell, timed queue) against raw Akka on one thread.</summary>
public static class EngineSection
{
    public const string Name = "engine";

    public static void Run(Harness h)
    {
        var lane = BenchEnv.Lane(0);
        var n = h.Scaled(2_000_000);
        var warm = h.Scaled(200_000);

        var perCpu = new Dictionary<string, List<double>>();

        double Keep(string key, VolleyResult v)
        {
            if (!perCpu.TryGetValue(key, out var list)) perCpu[key] = list = new List<double>();
            list.Add(v.MessagesPerCpuSecond);
            return v.MessagesPerSecond;
        }

        double Sim(bool timed)
        {
            var outcome = lane.Run(SimPingPongRoot.Props(warm, n, timed), 1, Interleaving.Fifo, long.MaxValue);
            if (!outcome.Succeeded) throw new InvalidOperationException(outcome.Failure);
            return Keep(timed ? "timed" : "direct", (VolleyResult)outcome.Result!);
        }

        double Raw(string dispatcher) => Keep(dispatcher, RawPingPong.Run(BenchEnv.System, dispatcher, warm, n));

        var s = h.Interleaved(
            () =>
            {
                Sim(false);
                Sim(true);
                Raw(BenchEnv.ForkJoinOneThread);
                Raw("akka.actor.default-dispatcher");
            },
            ("direct", () => Sim(false)),
            ("timed", () => Sim(true)),
            ("raw-fj1", () => Raw(BenchEnv.ForkJoinOneThread)),
            ("raw-default", () => Raw("akka.actor.default-dispatcher")));

        var r = h.Report;
        r.Add(ResultRow.FromSamples(Name, "sim ping-pong, direct Tell (zero time)", "msg/s", s["direct"]));
        r.Add(ResultRow.FromSamples(Name, "sim ping-pong, Schedule(0) each hop", "msg/s", s["timed"]));
        r.Add(ResultRow.FromSamples(Name, "raw Akka ping-pong, ForkJoin 1 thread, tp 100", "msg/s", s["raw-fj1"]));
        r.Add(ResultRow.FromSamples(Name, "raw Akka ping-pong, default dispatcher", "msg/s", s["raw-default"],
            note: "informational: the thread-pool dispatcher on this box"));
        var raw = Stats.Median(s["raw-fj1"]);
        r.Add(ResultRow.Ratio(Name, "sim direct / raw ForkJoin-1", Stats.Median(s["direct"]) / raw, TargetKind.AtLeast, 1.2));
        r.Add(ResultRow.Ratio(Name, "sim timed / raw ForkJoin-1", Stats.Median(s["timed"]) / raw));
        r.Add(ResultRow.Ratio(Name, "sim direct / raw default dispatcher", Stats.Median(s["direct"]) / Stats.Median(s["raw-default"])));
        // Per second of process CPU: the same ratios with other processes' share of the cores taken out.
        List<double> Measured(string key) => perCpu[key].TakeLast(h.Reps).ToList();
        r.Add(ResultRow.FromSamples(Name, "sim direct, per CPU-second", "msg/cpu-s", Measured("direct")));
        r.Add(ResultRow.FromSamples(Name, "sim timed, per CPU-second", "msg/cpu-s", Measured("timed")));
        r.Add(ResultRow.FromSamples(Name, "raw ForkJoin-1, per CPU-second", "msg/cpu-s", Measured(BenchEnv.ForkJoinOneThread),
            note: "process CPU: includes Akka's scheduler tick and the waiting thread's wake-up"));
        r.Add(ResultRow.Ratio(Name, "sim direct / raw ForkJoin-1, per CPU-second",
            Stats.Median(Measured("direct")) / Stats.Median(Measured(BenchEnv.ForkJoinOneThread))));
        r.Fact("engine.messages-per-volley", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
