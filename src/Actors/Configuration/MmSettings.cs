namespace ActorKernel.Actors.Configuration;

/// <summary><c>actor-kernel.mm</c>.</summary>
public sealed record MmSettings
{
    /// <summary>mm/memory.c fault_around_bytes (debugfs); 4096 turns fault-around off.</summary>
    public required int FaultAroundBytes { get; init; }

    /// <summary>kernel/locking/rwsem.c RWSEM_WAIT_TIMEOUT: how long a waiter waits before asking for hand-off.</summary>
    public required long RwsemHandoffWaitNs { get; init; }
}
