namespace ActorKernel.Actors.Configuration;

/// <summary><c>actor-kernel.machine</c> scheduling keys: the scheduler tick and the time slice.</summary>
public sealed record SchedSettings
{
    /// <summary>CONFIG_HZ: scheduler ticks per second; runtime is charged and task_tick_numa runs at each.</summary>
    public required int TickHz { get; init; }

    /// <summary>How long a task runs before another runnable task on its CPU gets a turn.</summary>
    public required long TimeSliceUs { get; init; }

    public long TickNs => Model.SimTime.NsPerS / TickHz;
}
