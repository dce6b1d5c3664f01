using ActorKernel.Actors.Engine;
using ActorKernel.Bench.Engine;
using ActorKernel.Bench.Infra;
using Akka.Actor;

namespace ActorKernel.Bench.Sections;

/// <summary>Section 4: bytes per delivered message, per pending timed message, per idle actor.</summary>
public static class MemorySection
{
    public const string Name = "memory";

    /// <summary>Lanes 2..7 are kept unused by every other section: each measures the timed queue's growth from its initial capacity.</summary>
    private static readonly int[] FreshLanes = [2, 3, 4, 5, 6, 7];

    public static void Run(Harness h)
    {
        var r = h.Report;
        var lane = BenchEnv.Lane(0);
        var n = h.Scaled(2_000_000);

        double PerMessage(bool timed)
        {
            var o = lane.Run(SimPingPongRoot.Props(h.Scaled(200_000), n, timed), 1, Interleaving.Fifo, long.MaxValue);
            if (!o.Succeeded) throw new InvalidOperationException(o.Failure);
            return ((VolleyResult)o.Result!).BytesPerMessage;
        }

        var s = h.Interleaved(() =>
            {
                PerMessage(false);
                PerMessage(true);
            },
            ("direct", () => PerMessage(false)),
            ("timed", () => PerMessage(true)));
        r.Add(ResultRow.FromSamples(Name, "allocated per message, direct Tell", "B/msg", s["direct"], TargetKind.AtMost, 0));
        r.Add(ResultRow.FromSamples(Name, "allocated per message, Schedule(0) each hop", "B/msg", s["timed"],
            note: "the driver formats SimContext.CurrentEvent for every timed event"));

        // Pending timed messages: each sample on a lane whose timed queue has never grown.
        var pending = (int)h.Scaled(1_000_000);
        lane.Run(PendingRoot.Props(1000), 1, Interleaving.Random, 10); // JIT warm-up on lane 0 (its queue stays small)
        var fresh = FreshLanes.Where(BenchEnv.IsFresh).Take(h.Reps).ToList();
        var perPending = new List<double>();
        foreach (var i in fresh)
        {
            Harness.CollectQuietly();
            var o = BenchEnv.Lane(i).Run(PendingRoot.Props(pending), (ulong)i, Interleaving.Random, 10);
            if (!o.Succeeded) throw new InvalidOperationException(o.Failure);
            perPending.Add((double)(long)o.Result! / pending);
        }
        // The same lane again: the heap's array survives Clear(), so a second run pays nothing more.
        if (fresh.Count > 0)
        {
            Harness.CollectQuietly();
            var again = BenchEnv.Lane(fresh[0]).Run(PendingRoot.Props(pending), 99, Interleaving.Random, 10);
            r.Fact("memory.pending-timed.reused-lane", $"{(double)(long)again.Result! / pending:0.0} B per pending message (capacity kept from the previous run)");
        }
        if (perPending.Count > 0)
            r.Add(ResultRow.FromSamples(Name, $"per pending timed message ({pending:N0} queued)", "B/msg", perPending, TargetKind.AtMost, 64,
                note: "GC.GetTotalMemory delta on a fresh lane; one shared message object"));

        var actors = (int)h.Scaled(10_000);
        var perActor = h.Interleaved(
            () => lane.Run(EntitiesRoot.Props(Math.Min(actors, 1000)), 1, Interleaving.Random, 10),
            ("actors", () =>
            {
                var o = lane.Run(EntitiesRoot.Props(actors), 1, Interleaving.Random, 10);
                if (!o.Succeeded) throw new InvalidOperationException(o.Failure);
                return (double)(long)o.Result! / actors;
            }));
        r.Add(ResultRow.FromSamples(Name, $"per idle entity actor ({actors:N0} in a run)", "B/actor", perActor["actors"], TargetKind.AtMost, 2560,
            note: "GC.GetTotalMemory delta once all have started; delegate Props, name \"e<i>\""));
    }

    /// <summary>Schedules <c>n</c> messages at random future instants and reports the retained-heap growth.</summary>
    public sealed class PendingRoot : SimRootActor
    {
        private static readonly object Payload = new();
        private readonly int _n;

        public PendingRoot(SimContext sim, int n) : base(sim) => _n = n;

        public static Func<SimContext, Props> Props(int n) => sim => FuncProducer<PendingRoot>.Props(() => new PendingRoot(sim, n));

        protected override void PreStart()
        {
            base.PreStart();
            Sim.Schedule(0, Self, "go");
        }

        protected override void OnRootMessage(object message)
        {
            if (message is not "go") return;
            var rng = Sim.RandomFor("pending");
            var self = Self;
            var before = GC.GetTotalMemory(forceFullCollection: true);
            for (var i = 0; i < _n; i++) Sim.Schedule(1 + rng.NextLong(1_000_000_000), self, Payload, self);
            var after = GC.GetTotalMemory(forceFullCollection: true);
            Sim.Complete(after - before);
        }
    }

    /// <summary>Creates <c>n</c> idle children, lets them start, and reports the retained-heap growth.</summary>
    public sealed class EntitiesRoot : SimRootActor
    {
        private readonly int _n;
        private long _before;

        public EntitiesRoot(SimContext sim, int n) : base(sim) => _n = n;

        public static Func<SimContext, Props> Props(int n) => sim => FuncProducer<EntitiesRoot>.Props(() => new EntitiesRoot(sim, n));

        protected override void PreStart()
        {
            base.PreStart();
            Sim.Schedule(0, Self, "create");
        }

        protected override void OnRootMessage(object message)
        {
            switch (message)
            {
                case "create":
                    _before = GC.GetTotalMemory(forceFullCollection: true);
                    for (var i = 0; i < _n; i++)
                    {
                        var id = i;
                        Context.ActorOf(Sim.Bind(FuncProducer<ParallelSection.Idle>.Props(() => new ParallelSection.Idle(id))), "e" + i);
                    }
                    // Timed: delivered only once the work queue (every child's Create) is drained.
                    Sim.Schedule(0, Self, "measure");
                    break;
                case "measure":
                    Sim.Complete(GC.GetTotalMemory(forceFullCollection: true) - _before);
                    break;
            }
        }
    }
}
