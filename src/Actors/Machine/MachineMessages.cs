using ActorKernel.Actors.Tasks;
using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Machine;

/// <summary>A task asks to create a child (clone): the machine runs the fork handler or, for vfork, shares the mm.</summary>
public sealed record SpawnRequest(TaskBinding Parent, IActorRef ParentTask, SpawnKind Kind, Func<IEnumerable<TaskOp>> ChildProgram);

/// <summary>The fork handler finished dup_mmap and released the parent's lock: the child can be created on this mm.</summary>
public sealed record ForkCopied(SpawnRequest Request, AddressSpace ChildMm);

/// <summary>A task ended.</summary>
public sealed record TaskExited(int TaskId, bool IsWorkloadMain);

/// <summary>Deliver <paramref name="Message"/> to the mm actor of address space <paramref name="MmId"/>, if it still exists (scenario tests).</summary>
public sealed record ToMm(int MmId, object Message);

/// <summary>sched_setaffinity(): move task <paramref name="TaskId"/> to CPU <paramref name="CpuIndex"/> (machine order, wrapped).</summary>
public sealed record MoveTaskRequest(int TaskId, int CpuIndex, IActorRef ReplyTo);

/// <summary>The task now runs on <paramref name="Cpu"/>, on node <paramref name="Node"/>.</summary>
public sealed record TaskMoved(IActorRef Cpu, int Node);
