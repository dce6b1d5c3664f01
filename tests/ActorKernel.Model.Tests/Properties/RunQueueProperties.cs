using CsCheck;

namespace ActorKernel.Model.Tests.Properties;

/// <summary>
/// <see cref="RunQueue"/> against a reference round-robin queue (the model's stated simplification
/// of kernel/sched/fair.c: equal weights, a fixed slice, accounting at scheduler_tick()): random
/// wake-ups and ticks. No task is lost (every woken task is running, queued or has finished its
/// burst), none runs twice (one CPU runs one task; a burst finishes once, charged exactly what it
/// wanted), the CPU never charges more than the time that passed, and each tick agrees with the
/// reference.
/// </summary>
public class RunQueueProperties
{
    private const long SliceNs = 3_000_000;

    /// <summary>One generated step: a wake-up of a new task wanting WantNs, or a tick AdvanceNs later.</summary>
    public readonly record struct Op(bool Wake, long WantNs, long AdvanceNs)
    {
        public override string ToString() => Wake ? $"wake({WantNs} ns, +{AdvanceNs})" : $"tick(+{AdvanceNs})";
    }

    private static readonly Gen<Op> GenOp = Gen.Select(Gen.Int[0, 2].Select(i => i == 0), Gen.Long[1, 3 * SliceNs],
        Gen.Frequency((1, Gen.Const(0L)), (4, Gen.Long[1, SliceNs]), (1, Gen.Const(SliceNs)), (1, Gen.Long[SliceNs, 4 * SliceNs])),
        (w, want, dt) => new Op(w, want, dt));

    [Fact]
    public void RunQueue_LosesNoTask_RunsNoneTwice_AndAgreesWithTheReference() =>
        GenOp.Array[1, 80].Sample(ops =>
        {
            var rq = new RunQueue(SliceNs);
            var reference = new ReferenceRoundRobin(SliceNs);
            var want = new Dictionary<int, long>();
            var charged = new Dictionary<int, long>();
            var finished = new HashSet<int>();
            long now = 0, totalCharged = 0;
            int nextTask = 1, step = 0;
            foreach (var op in ops.Append(new Op(false, 0, 0)).Concat(Enumerable.Repeat(new Op(false, 0, 4 * SliceNs), 200)))
            {
                step++;
                now += op.AdvanceNs;
                if (op.Wake)
                {
                    var id = nextTask++;
                    want[id] = op.WantNs;
                    charged[id] = 0;
                    Assert.Equal(reference.Enqueue(id, op.WantNs, now), rq.Enqueue(id, op.WantNs, now));
                }
                else
                {
                    var tick = rq.Tick(now);
                    Assert.Equal(reference.Tick(now), tick);
                    if (tick.TaskId >= 0)
                    {
                        Assert.DoesNotContain(tick.TaskId, finished);
                        charged[tick.TaskId] += tick.ChargedNs;
                        totalCharged += tick.ChargedNs;
                        if (tick.BurstDone)
                        {
                            Assert.True(finished.Add(tick.TaskId), $"step {step}: task {tick.TaskId} finished twice");
                            Assert.Equal(want[tick.TaskId], charged[tick.TaskId]);
                        }
                        else Assert.True(charged[tick.TaskId] < want[tick.TaskId], $"step {step}: task {tick.TaskId} charged past its burst");
                    }
                }
                // Every woken task is exactly one of: running, queued, finished.
                int running = rq.Current is null ? 0 : 1;
                Assert.Equal(want.Count, running + rq.Waiting + finished.Count);
                Assert.True(rq.Current is null || !finished.Contains(rq.Current.TaskId), $"step {step}: a finished task runs");
                Assert.True(rq.Current is not null || rq.Waiting == 0, $"step {step}: CPU idle with {rq.Waiting} tasks queued");
                Assert.True(totalCharged <= now, $"step {step}: charged {totalCharged} ns in {now} ns");
            }
            Assert.Equal(want.Count, finished.Count);
        }, iter: 300, threads: 1, print: ops => string.Join("; ", ops));

    /// <summary>Round robin as scheduler_tick() sees it: charge the runner, finish its burst or rotate it behind the others once its slice is used.</summary>
    private sealed class ReferenceRoundRobin(long sliceNs)
    {
        private readonly LinkedList<(int Id, long Left)> _queue = new();
        private (int Id, long Left)? _running;
        private long _sliceUsed, _lastNs;

        public bool Enqueue(int id, long wantNs, long nowNs)
        {
            if (_running is not null)
            {
                _queue.AddLast((id, wantNs));
                return false;
            }
            Start((id, wantNs), nowNs);
            return true;
        }

        public TickOutcome Tick(long nowNs)
        {
            if (_running is not { } run) return new TickOutcome(-1, 0, false, false);
            long charge = Math.Min(nowNs - _lastNs, run.Left);
            _lastNs = nowNs;
            run.Left -= charge;
            _sliceUsed += charge;
            if (run.Left == 0)
            {
                _running = null;
                if (_queue.First is { } next)
                {
                    _queue.RemoveFirst();
                    Start(next.Value, nowNs);
                }
                return new TickOutcome(run.Id, charge, true, true);
            }
            _running = run;
            if (_sliceUsed < sliceNs) return new TickOutcome(run.Id, charge, false, false);
            if (_queue.First is { } first)
            {
                _queue.RemoveFirst();
                _queue.AddLast(run);
                Start(first.Value, nowNs);
                return new TickOutcome(run.Id, charge, false, true);
            }
            // Alone on the CPU: a new slice begins.
            _sliceUsed = 0;
            return new TickOutcome(run.Id, charge, false, false);
        }

        private void Start((int Id, long Left) task, long nowNs)
        {
            _running = task;
            _sliceUsed = 0;
            _lastNs = nowNs;
        }
    }
}
