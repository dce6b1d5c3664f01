using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace ActorKernel.Actors.Engine;

/// <summary>
/// The user-message queue of an actor on a simulation lane, in place of Akka's <c>UnboundedMessageQueue</c>
/// (a <see cref="ConcurrentQueue{T}"/> per actor). Messages sent by the lane's driver thread — every message
/// of a correct run — go into a plain <see cref="Queue{T}"/>: no interlocked operation per enqueue and dequeue,
/// and an actor that never receives a message holds no buffer (the concurrent queue's first segment was ≈1 KB
/// per actor created). Messages from any other thread go into a concurrent queue created on first use; the
/// lane counts their mailbox submissions as foreign and fails the run (<see cref="SimLane"/>), as before.
/// Only the driver thread enqueues into the plain queue, and Akka runs a mailbox on one thread at a time;
/// a lane runs a mailbox on another thread only while it drives no run (lifecycle work), when no message
/// can be added to the plain queue.
/// </summary>
internal sealed class SimMessageQueue : IMessageQueue, IUnboundedMessageQueueSemantics
{
    private readonly SimLane _lane;
    private readonly Queue<Envelope> _driven = new();
    private ConcurrentQueue<Envelope>? _foreign;

    public SimMessageQueue(SimLane lane)
    {
        _lane = lane;
    }

    public bool HasMessages => _driven.Count > 0 || Volatile.Read(ref _foreign) is { IsEmpty: false };

    public int Count => _driven.Count + (Volatile.Read(ref _foreign)?.Count ?? 0);

    public void Enqueue(IActorRef receiver, Envelope envelope)
    {
        if (_lane.IsDriverThread)
        {
            _driven.Enqueue(envelope);
            return;
        }
        var foreign = Volatile.Read(ref _foreign);
        if (foreign is null)
        {
            Interlocked.CompareExchange(ref _foreign, new ConcurrentQueue<Envelope>(), null);
            foreign = _foreign!;
        }
        foreign.Enqueue(envelope);
    }

    /// <summary>Enqueue from a caller that knows it runs on the lane's driver thread (<see cref="SimMailboxRun.Enqueue"/>).</summary>
    internal void EnqueueDriven(Envelope envelope) => _driven.Enqueue(envelope);

    public bool TryDequeue(out Envelope envelope)
    {
        if (_driven.TryDequeue(out envelope)) return true;
        var foreign = Volatile.Read(ref _foreign);
        if (foreign is not null) return foreign.TryDequeue(out envelope);
        envelope = default;
        return false;
    }

    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        while (TryDequeue(out var envelope)) deadletters.Enqueue(owner, envelope);
    }
}

/// <summary>
/// The mailbox type of a lane's dispatcher (its <c>mailbox-type</c>): Akka instantiates it by name with the
/// dispatcher's id in its config, and it finds the lane that registered that id.
/// </summary>
internal sealed class SimMailboxType : MailboxType, IProducesMessageQueue<SimMessageQueue>
{
    private static readonly ConditionalWeakTable<ActorSystem, ConcurrentDictionary<string, SimLane>> Lanes = new();

    private readonly SimLane _lane;

    public SimMailboxType(Akka.Actor.Settings settings, Akka.Configuration.Config config) : base(settings, config)
    {
        var id = config.GetString("id", null);
        if (id is null || !Lanes.TryGetValue(settings.System, out var lanes) || !lanes.TryGetValue(id, out var lane))
            throw new InvalidOperationException($"no simulation lane registered dispatcher '{id}' in actor system {settings.System.Name}");
        _lane = lane;
    }

    /// <summary>Makes <paramref name="lane"/> findable by its dispatcher id before Akka first asks for the mailbox type.</summary>
    public static void Register(ActorSystem system, SimLane lane) =>
        Lanes.GetOrCreateValue(system)[lane.DispatcherId] = lane;

    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new SimMessageQueue(_lane);
}
