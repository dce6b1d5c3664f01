using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Actor.Internal;
using Akka.Dispatch;
using Akka.Dispatch.SysMsg;

namespace ActorKernel.Actors.Engine;

/// <summary>
/// The lane's own copy of Akka's <c>Mailbox.Run</c> and <c>MessageDispatcher.RegisterForExecution</c> (Akka 1.5.74,
/// Akka/Dispatch/Mailbox.cs and AbstractDispatcher.cs), used on the driver thread during a run. It runs the same
/// steps in the same order — system messages first, then up to the dispatcher's throughput of messages with the
/// system messages after each, then idle and re-register — and leaves out what a single-threaded lane does not need:
/// the two interlocked exchanges Akka makes per message draining an empty system-message list, and the
/// compare-and-swap loops on the mailbox's status (only the driver thread changes the status of a run's mailbox
/// while the run is driven; a foreign submission fails the run). Everything else (suspended, closed, pending
/// system messages) goes through Akka's own methods. The members reached here are Akka's internals, found by name:
/// an Akka upgrade that renames them fails every engine test at the first mailbox run.
/// </summary>
internal static class SimMailboxRun
{
    // Mailbox.MailboxStatus (internal): Open 0, Closed 1, Scheduled bit 2, suspend count in units of 4.
    private const int Open = 0;
    private const int Closed = 1;
    private const int Scheduled = 2;
    private const int ShouldNotProcessMask = ~Scheduled;

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_statusDotNotCallMeDirectly")]
    private static extern ref int StatusField(Mailbox mailbox);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_systemQueueDoNotCallMeDirectly")]
    private static extern ref SystemMessage? SystemQueueField(Mailbox mailbox);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_actor")]
    private static extern ref ActorCell ActorField(Mailbox mailbox);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "ProcessAllSystemMessages")]
    private static extern void ProcessAllSystemMessages(Mailbox mailbox);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "RegisterForExecution")]
    private static extern bool AkkaRegisterForExecution(MessageDispatcher dispatcher, Mailbox mailbox, bool hasMessageHint, bool hasSystemMessageHint);

    /// <summary><c>Mailbox.Enqueue</c> on the driver thread: the lane's queue type takes it without asking which thread it is on.</summary>
    private static void Enqueue(Mailbox mailbox, IActorRef receiver, Envelope envelope)
    {
        if (mailbox.MessageQueue is SimMessageQueue queue) queue.EnqueueDriven(envelope);
        else mailbox.MessageQueue.Enqueue(receiver, envelope);
    }

    /// <summary><c>MessageDispatcher.Dispatch</c> on the driver thread: the envelope into the mailbox, the mailbox onto the lane.</summary>
    public static void Post(SimLane lane, MessageDispatcher dispatcher, Mailbox mailbox, IActorRef receiver, Envelope envelope)
    {
        Enqueue(mailbox, receiver, envelope);
        RegisterForExecution(lane, dispatcher, mailbox, true);
    }

    /// <summary>
    /// <c>RegisterForExecution(mailbox, hasMessageHint, false)</c> on the driver thread: an open, idle mailbox with
    /// something to do is marked scheduled and queued on the lane; a scheduled or closed one is left alone; a
    /// suspended one goes through Akka (it is scheduled only for its system messages).
    /// </summary>
    public static void RegisterForExecution(SimLane lane, MessageDispatcher dispatcher, Mailbox mailbox, bool hasMessageHint)
    {
        ref var status = ref StatusField(mailbox);
        var s = Volatile.Read(ref status);
        if (s == Open)
        {
            if (!hasMessageHint && !mailbox.MessageQueue.HasMessages && Volatile.Read(ref SystemQueueField(mailbox)) is null) return;
            Volatile.Write(ref status, Scheduled);
            lane.EnqueueWork(mailbox);
            return;
        }
        if ((s & Scheduled) != 0 || s == Closed) return;
        AkkaRegisterForExecution(dispatcher, mailbox, hasMessageHint, false);
    }

    /// <summary><c>Mailbox.Run</c> on the driver thread.</summary>
    public static void Run(SimLane lane, MessageDispatcher dispatcher, Mailbox mailbox)
    {
        ref var status = ref StatusField(mailbox);
        try
        {
            if (Volatile.Read(ref status) == Closed) return;
            var cell = ActorField(mailbox);
            var previous = InternalCurrentActorCellKeeper.Current;
            InternalCurrentActorCellKeeper.Current = cell;
            try
            {
                if (Volatile.Read(ref SystemQueueField(mailbox)) is not null) ProcessAllSystemMessages(mailbox);
                var left = Math.Max(1, dispatcher.Throughput);
                var queue = mailbox.MessageQueue;
                while ((Volatile.Read(ref status) & ShouldNotProcessMask) == 0)
                {
                    if (!queue.TryDequeue(out var next)) break;
                    cell.Invoke(next);
                    if (Volatile.Read(ref SystemQueueField(mailbox)) is not null) ProcessAllSystemMessages(mailbox);
                    // As Akka's ProcessMailbox(left): it goes on while left > 0, so a run takes Throughput + 1 messages.
                    if (left-- == 0) break;
                }
            }
            finally
            {
                InternalCurrentActorCellKeeper.Current = previous;
            }
        }
        finally
        {
            Volatile.Write(ref status, Volatile.Read(ref status) & ~Scheduled);
            RegisterForExecution(lane, dispatcher, mailbox, false);
        }
    }
}
