using ActorKernel.Actors.Engine;
using Akka.Actor;

namespace ActorKernel.Actors.Tests.Engine;

/// <summary>
/// The timed queue's contract, checked against an oracle: whatever is pending, the next event delivered is the
/// least pending one by (time, tiebreak, scheduling order), where the tiebreak is the run's k-th draw from
/// <c>SimRandom.For(seed, "engine/tiebreak")</c> under <see cref="Interleaving.Random"/> and 0 under Fifo.
/// Thousands of events with many shared instants, scheduled both before the first delivery and while
/// delivering (the queue grows past its initial capacity and reuses the slots of delivered events).
/// </summary>
public sealed class TimedOrderTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("timed-order-tests");

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    [Theory]
    [InlineData(Interleaving.Fifo, 1UL)]
    [InlineData(Interleaving.Fifo, 9UL)]
    [InlineData(Interleaving.Random, 1UL)]
    [InlineData(Interleaving.Random, 9UL)]
    public void EveryDeliveryIsTheLeastPendingEvent(Interleaving interleaving, ulong seed)
    {
        var lane = new SimLane(_system, 0);
        var outcome = lane.Run(sim => Props.Create(() => new OrderRoot(sim, interleaving)), seed, interleaving, 1_000_000);
        Assert.True(outcome.Succeeded, outcome.Failure);
        var (delivered, scheduled, violation) = ((int, int, string?))outcome.Result!;
        Assert.Null(violation);
        Assert.Equal(scheduled, delivered);
        Assert.True(delivered > 3000, $"only {delivered} events");
    }

    private sealed class OrderRoot : SimRootActor
    {
        private const int Initial = 1500;
        private const int Chained = 2000;
        private readonly Interleaving _interleaving;
        private readonly SimRandom _delays;
        private readonly SimRandom _tiebreaks;
        // The oracle: every pending event's key, in the order the engine must follow.
        private readonly SortedSet<(long TimeNs, ulong Tiebreak, long Seq)> _pending = new();
        private long _seq;
        private int _delivered;
        private int _chained;
        private string? _violation;

        public OrderRoot(SimContext sim, Interleaving interleaving) : base(sim)
        {
            _interleaving = interleaving;
            _delays = SimRandom.For(sim.Seed, "test/delays");
            _tiebreaks = SimRandom.For(sim.Seed, "engine/tiebreak");
        }

        protected override void PreStart()
        {
            base.PreStart();
            for (var i = 0; i < Initial; i++) ScheduleOne();
        }

        // Delays of 0–30 quanta of 10 ns: most instants are shared by several events.
        private void ScheduleOne()
        {
            var delayNs = 10 * _delays.NextLong(31);
            var tiebreak = _interleaving == Interleaving.Random ? _tiebreaks.NextUInt64() : 0UL;
            var key = new Key(Sim.NowNs + delayNs, tiebreak, _seq++);
            _pending.Add((key.TimeNs, key.Tiebreak, key.Seq));
            Sim.Schedule(delayNs, Self, key);
        }

        protected override void OnRootMessage(object message)
        {
            switch (message)
            {
                case Key key:
                    _delivered++;
                    var k = (key.TimeNs, key.Tiebreak, key.Seq);
                    if (_violation is null && (key.TimeNs != Sim.NowNs || k != _pending.Min))
                        _violation = $"delivery {_delivered}: {k} at {Sim.NowNs} ns while {_pending.Min} was pending";
                    _pending.Remove(k);
                    // Up to two new events per delivery while the chain lasts: the queue grows and shrinks.
                    for (var i = 0; i < 2 && _chained < Chained; i++, _chained++) ScheduleOne();
                    break;
                case RunIdle:
                    Sim.Complete((_delivered, (int)_seq, _violation));
                    break;
            }
        }

        private sealed record Key(long TimeNs, ulong Tiebreak, long Seq);
    }
}
