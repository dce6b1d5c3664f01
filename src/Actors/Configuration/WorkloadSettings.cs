namespace ActorKernel.Actors.Configuration;

/// <summary><c>actor-kernel.workload</c>.</summary>
public sealed record WorkloadSettings
{
    public required ForkExecSettings ForkExec { get; init; }
    public required NumaIdleSettings NumaIdle { get; init; }

    /// <summary><c>actor-kernel.workload.mmap-churn</c>: threads that take the mmap lock for write.</summary>
    public required MmapChurnSettings MmapChurn { get; init; }

    /// <summary><c>actor-kernel.workload.literal-syscall</c>: syscalls on string literals the process never read, no fork.</summary>
    public required LiteralSyscallSettings LiteralSyscall { get; init; }
    /// <summary><c>actor-kernel.workload.memory-pressure</c>: reclaim against a long-running traced process.</summary>
    public required MemoryPressureSettings MemoryPressure { get; init; }
}
