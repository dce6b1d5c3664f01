using System.Diagnostics;
using ActorKernel.Actors.Engine;
using ActorKernel.Bench.Infra;
using ActorKernel.Bench.Toy;
using Akka.Actor;

namespace ActorKernel.Bench.Sections;

/// <summary>Section 3: one lane against two lanes on two threads, and the fixed cost of a run.</summary>
public static class ParallelSection
{
    public const string Name = "parallel";

    private const int RunsPerThread = 4;

    public static void Run(Harness h)
    {
        var p = ReferenceSection.Params(h, 0.25);
        var lane0 = BenchEnv.Lane(0);
        var lane1 = BenchEnv.Lane(1);
        var events = PlainToyLoop.Run(p, 100).TimedEvents;

        // Process CPU time over wall time while the workers ran: how many cores the machine actually gave us.
        var cores = new Dictionary<string, List<double>>();

        double Lanes(int threads, bool plain)
        {
            var proc = System.Diagnostics.Process.GetCurrentProcess();
            var lanes = new[] { lane0, lane1 };
            var start = new Barrier(threads + 1);
            long total = 0;
            var workers = Enumerable.Range(0, threads).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                long mine = 0;
                for (var k = 0; k < RunsPerThread; k++)
                {
                    var seed = (ulong)(100 + k);
                    mine += plain ? PlainToyLoop.Run(p, seed).TimedEvents : ActorToyModel.Run(lanes[i], p, seed).TimedEvents;
                }
                Interlocked.Add(ref total, mine);
            }) { IsBackground = true, Name = $"bench-lane-{i}" }).ToList();
            workers.ForEach(w => w.Start());
            start.SignalAndWait();
            proc.Refresh();
            var cpu0 = proc.TotalProcessorTime;
            var t0 = Stopwatch.GetTimestamp();
            workers.ForEach(w => w.Join());
            var wall = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            proc.Refresh();
            var key = (plain ? "plain-" : "engine-") + threads;
            if (!cores.TryGetValue(key, out var list)) cores[key] = list = new List<double>();
            list.Add((proc.TotalProcessorTime - cpu0).TotalSeconds / wall);
            return total / wall;
        }

        var s = h.Interleaved(() =>
            {
                Lanes(1, false);
                Lanes(2, false);
                Lanes(1, true);
                Lanes(2, true);
            },
            ("one", () => Lanes(1, false)),
            ("two", () => Lanes(2, false)),
            ("plain-one", () => Lanes(1, true)),
            ("plain-two", () => Lanes(2, true)));

        var r = h.Report;
        r.Add(ResultRow.FromSamples(Name, "toy model, 1 lane on 1 thread", "events/s", s["one"]));
        r.Add(ResultRow.FromSamples(Name, "toy model, 2 lanes on 2 threads (aggregate)", "events/s", s["two"]));
        r.Add(ResultRow.Ratio(Name, "2 lanes / 1 lane", Stats.Median(s["two"]) / Stats.Median(s["one"]), TargetKind.AtLeast, 1.85));
        // The warm-up's samples are in `cores` too; take the measured ones (the last Reps).
        double Cores(string key) => Stats.Median(cores[key].TakeLast(h.Reps).ToList());
        r.Add(ResultRow.FromSamples(Name, "CPU cores used by the process, 1 lane", "cores", cores["engine-1"].TakeLast(h.Reps).ToList()));
        r.Add(ResultRow.FromSamples(Name, "CPU cores used by the process, 2 lanes", "cores", cores["engine-2"].TakeLast(h.Reps).ToList(),
            note: "< 2 means other processes held a core: the machine is shared"));
        var perCpuOne = Stats.Median(s["one"]) / Cores("engine-1");
        var perCpuTwo = Stats.Median(s["two"]) / Cores("engine-2");
        r.Add(ResultRow.Ratio(Name, "2 lanes / 1 lane per CPU-second (×2)", 2 * perCpuTwo / perCpuOne,
            note: "what 2 lanes would give with two free cores, if per-CPU efficiency held: engine-side contention shows here"));
        r.Add(ResultRow.FromSamples(Name, "plain loop, 1 thread", "events/s", s["plain-one"], note: "the machine's own scaling, no engine"));
        r.Add(ResultRow.FromSamples(Name, "plain loop, 2 threads (aggregate)", "events/s", s["plain-two"]));
        r.Add(ResultRow.Ratio(Name, "plain 2 threads / 1 thread", Stats.Median(s["plain-two"]) / Stats.Median(s["plain-one"])));
        r.Add(ResultRow.FromSamples(Name, "CPU cores used by the process, plain 2 threads", "cores", cores["plain-2"].TakeLast(h.Reps).ToList()));
        r.Fact("parallel.timed-events-per-run", events.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var trivialRuns = (int)Math.Max(20, h.Scaled(500));
        double Trivial() => Harness.Seconds(() =>
        {
            for (var i = 0; i < trivialRuns; i++) Check(lane0.Run(TrivialRoot.Props, (ulong)i, Interleaving.Random, 10));
        }) / trivialRuns * 1000.0;
        var childRuns = (int)Math.Max(10, h.Scaled(100));
        double WithChildren(bool expressionProps) => Harness.Seconds(() =>
        {
            for (var i = 0; i < childRuns; i++) Check(lane0.Run(ChildrenRoot.Props(64, expressionProps), (ulong)i, Interleaving.Random, 10));
        }) / childRuns * 1000.0;
        var t = h.Interleaved(() =>
            {
                Trivial();
                WithChildren(false);
                WithChildren(true);
            },
            ("trivial", Trivial),
            ("children", () => WithChildren(false)),
            ("children-expr", () => WithChildren(true)));
        r.Add(ResultRow.FromSamples(Name, "run set-up + tear-down, trivial root", "ms/run", t["trivial"], TargetKind.AtMost, 1.0));
        r.Add(ResultRow.FromSamples(Name, "run with 64 children, delegate Props", "ms/run", t["children"], note: "informational"));
        r.Add(ResultRow.FromSamples(Name, "run with 64 children, Props.Create(expression)", "ms/run", t["children-expr"], note: "informational: architecture.md pitfall 8"));
    }

    private static void Check(SimRunOutcome o)
    {
        if (!o.Succeeded) throw new InvalidOperationException(o.Failure);
    }

    /// <summary>A root that completes as soon as it starts: what a run costs around the model.</summary>
    public sealed class TrivialRoot : SimRootActor
    {
        public TrivialRoot(SimContext sim) : base(sim)
        {
        }

        public static readonly Func<SimContext, Props> Props = sim => FuncProducer<TrivialRoot>.Props(() => new TrivialRoot(sim));

        protected override void PreStart()
        {
            base.PreStart();
            Sim.Complete(null);
        }

        protected override void OnRootMessage(object message)
        {
        }
    }

    /// <summary>A root that creates <c>n</c> idle children and completes once they have started.</summary>
    public sealed class ChildrenRoot : SimRootActor
    {
        private readonly int _n;
        private readonly bool _expression;

        public ChildrenRoot(SimContext sim, int n, bool expression) : base(sim)
        {
            _n = n;
            _expression = expression;
        }

        public static Func<SimContext, Props> Props(int n, bool expression) =>
            sim => FuncProducer<ChildrenRoot>.Props(() => new ChildrenRoot(sim, n, expression));

        protected override void PreStart()
        {
            base.PreStart();
            for (var i = 0; i < _n; i++)
            {
                var id = i;
                var props = _expression
                    ? Akka.Actor.Props.Create(() => new Idle(id))
                    : FuncProducer<Idle>.Props(() => new Idle(id));
                Context.ActorOf(Sim.Bind(props), "c" + i);
            }
            Sim.Schedule(0, Self, "started");
        }

        protected override void OnRootMessage(object message)
        {
            if (message is "started") Sim.Complete(null);
        }
    }

    public sealed class Idle : UntypedActor
    {
        private readonly int _id;

        public Idle(int id) => _id = id;

        protected override void OnReceive(object message) => Unhandled(_id);
    }
}
