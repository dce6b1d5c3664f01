using System.Diagnostics;
using ActorKernel.Actors.Engine;
using ActorKernel.Bench.Infra;
using Akka.Actor;

namespace ActorKernel.Bench.Engine;

/// <summary>The ball: one mutable object volleyed back and forth, so the volley itself allocates nothing.</summary>
public sealed class Rally
{
    public long Remaining;
    public TaskCompletionSource<bool>? Done;
}

/// <summary>What one measured volley cost.</summary>
public sealed record VolleyResult(long Messages, double Seconds, long AllocatedBytes, double CpuSeconds)
{
    public double MessagesPerSecond => Messages / Seconds;

    /// <summary>Per second of process CPU time: robust to other processes taking the core on a shared machine.</summary>
    public double MessagesPerCpuSecond => Messages / CpuSeconds;
    public double BytesPerMessage => (double)AllocatedBytes / Messages;
}

/// <summary>
/// A run with two players volleying a <see cref="Rally"/>: a warm-up volley, then the measured
/// one. Wall time and the driver thread's allocations are read at the measured volley's start
/// and end, so run set-up and tear-down are excluded.
/// </summary>
public sealed class SimPingPongRoot : SimRootActor
{
    private readonly long _warmup;
    private readonly long _messages;
    private readonly bool _timed;
    private IActorRef _a = ActorRefs.Nobody;
    private IActorRef _b = ActorRefs.Nobody;
    private bool _measuring;
    private long _t0;
    private long _alloc0;
    private TimeSpan _cpu0;

    public SimPingPongRoot(SimContext sim, long warmup, long messages, bool timed) : base(sim)
    {
        _warmup = warmup;
        _messages = messages;
        _timed = timed;
    }

    public static Func<SimContext, Props> Props(long warmup, long messages, bool timed) =>
        sim => FuncProducer<SimPingPongRoot>.Props(() => new SimPingPongRoot(sim, warmup, messages, timed));

    protected override void PreStart()
    {
        base.PreStart();
        var self = Self;
        _a = Context.ActorOf(Sim.Bind(FuncProducer<Player>.Props(() => new Player(Sim, self, _timed))), "a");
        _b = Context.ActorOf(Sim.Bind(FuncProducer<Player>.Props(() => new Player(Sim, self, _timed))), "b");
        Serve(new Rally { Remaining = Math.Max(1, _warmup) });
    }

    private void Serve(Rally rally)
    {
        if (_timed) Sim.Schedule(0, _a, rally, _b);
        else _a.Tell(rally, _b);
    }

    protected override void OnRootMessage(object message)
    {
        if (message is not Rally rally) return;
        if (!_measuring)
        {
            _measuring = true;
            rally.Remaining = _messages;
            _alloc0 = GC.GetAllocatedBytesForCurrentThread();
            _cpu0 = Environment.CpuUsage.TotalTime;
            _t0 = Stopwatch.GetTimestamp();
            Serve(rally);
            return;
        }
        var elapsed = Stopwatch.GetElapsedTime(_t0).TotalSeconds;
        var cpu = (Environment.CpuUsage.TotalTime - _cpu0).TotalSeconds;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - _alloc0;
        Sim.Complete(new VolleyResult(_messages, elapsed, allocated, cpu));
    }

    private sealed class Player : UntypedActor
    {
        private readonly SimContext _sim;
        private readonly IActorRef _root;
        private readonly bool _timed;

        public Player(SimContext sim, IActorRef root, bool timed)
        {
            _sim = sim;
            _root = root;
            _timed = timed;
        }

        protected override void OnReceive(object message)
        {
            var rally = (Rally)message;
            if (--rally.Remaining <= 0) _root.Tell(rally, Self);
            else if (_timed) _sim.Schedule(0, Sender, rally, Self);
            else Sender.Tell(rally, Self);
        }
    }
}

/// <summary>The same volley between two plain Akka actors on a given dispatcher, timed by completion (no Ask per message).</summary>
public static class RawPingPong
{
    public static VolleyResult Run(ActorSystem system, string dispatcher, long warmup, long messages)
    {
        var a = system.ActorOf(FuncProducer<RawPlayer>.Props(() => new RawPlayer()).WithDispatcher(dispatcher));
        var b = system.ActorOf(FuncProducer<RawPlayer>.Props(() => new RawPlayer()).WithDispatcher(dispatcher));
        try
        {
            Volley(a, b, Math.Max(1, warmup));
            var cpu0 = Environment.CpuUsage.TotalTime;
            var t0 = Stopwatch.GetTimestamp();
            Volley(a, b, messages);
            var elapsed = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            return new VolleyResult(messages, elapsed, 0, (Environment.CpuUsage.TotalTime - cpu0).TotalSeconds);
        }
        finally
        {
            a.Tell(PoisonPill.Instance);
            b.Tell(PoisonPill.Instance);
        }
    }

    private static void Volley(IActorRef a, IActorRef b, long messages)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        a.Tell(new Rally { Remaining = messages, Done = done }, b);
        if (!done.Task.Wait(TimeSpan.FromMinutes(2))) throw new TimeoutException("raw ping-pong did not finish");
    }

    private sealed class RawPlayer : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            var rally = (Rally)message;
            if (--rally.Remaining <= 0) rally.Done!.TrySetResult(true);
            else Sender.Tell(rally, Self);
        }
    }
}
