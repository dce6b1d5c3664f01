using Akka.Actor;

namespace ActorKernel.Actors.Tasks;

/// <summary>Start running the program.</summary>
public sealed record TaskStart;

/// <summary>A timed continuation the task scheduled for itself: the current step's time has passed.</summary>
public sealed record TaskContinue(long Step);

/// <summary>fork/vfork returned in the parent.</summary>
public sealed record SpawnReturned(int ChildTaskId, IActorRef ChildTask);

/// <summary>The vfork child has exec'd or exited (mm_release → complete_vfork_done): the parent runs again.</summary>
public sealed record VforkDone(int ChildTaskId);

/// <summary>A child exited (SIGCHLD; reaped by wait4).</summary>
public sealed record ChildExited(int ChildTaskId);
