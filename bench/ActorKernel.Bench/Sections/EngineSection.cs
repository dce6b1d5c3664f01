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

        double Sim(bool timed)
        {
            var outcome = lane.Run(SimPingPongRoot.Props(warm, n, timed), 1, Interleaving.Fifo, long.MaxValue);
            if (!outcome.Succeeded) throw new InvalidOperationException(outcome.Failure);
            return ((VolleyResult)outcome.Result!).MessagesPerSecond;
        }

        double Raw(string dispatcher) => RawPingPong.Run(BenchEnv.System, dispatcher, warm, n).MessagesPerSecond;

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
        r.Fact("engine.messages-per-volley", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
