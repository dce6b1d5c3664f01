namespace ActorKernel.Actors.Configuration;

/// <summary>
/// <c>actor-kernel.workload.numa-idle</c>: a multi-threaded process whose busy threads keep hot
/// pages and whose idle buffers and argv page go cold, probed at syscall tracepoints (the seed's Case 2).
/// </summary>
public sealed record NumaIdleSettings
{
    public required bool Enabled { get; init; }
    public required int DurationS { get; init; }
    public required int Threads { get; init; }
    public required int BusyThreads { get; init; }
    public required int HotPages { get; init; }
    public required int IdleBufferPages { get; init; }
    public required int KernelTouchedPages { get; init; }
    public required long ProbeIntervalMs { get; init; }
    public required long BusyBurstMs { get; init; }
    public required long BusyMigrateIntervalMs { get; init; }
    public required bool ReadIdleBuffer { get; init; }
    public required bool ReadArgStart { get; init; }
    public required bool ReadKernelTouchedBuffer { get; init; }
}
