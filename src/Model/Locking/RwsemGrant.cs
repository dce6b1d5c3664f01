namespace ActorKernel.Model;

/// <summary>A queued waiter that a release handed the lock to.</summary>
/// <param name="Owner">The waiter's owner id.</param>
/// <param name="Write">Granted for write.</param>
/// <param name="QueuedAt">When it joined the wait list.</param>
public readonly record struct RwsemGrant(long Owner, bool Write, SimTime QueuedAt);

/// <summary>An entry of the rwsem wait list (struct rwsem_waiter).</summary>
/// <param name="Owner">The waiter's owner id.</param>
/// <param name="Write">RWSEM_WAITING_FOR_WRITE.</param>
/// <param name="QueuedAt">When it joined the wait list (for the handoff timeout).</param>
public readonly record struct RwsemWaiter(long Owner, bool Write, SimTime QueuedAt);
