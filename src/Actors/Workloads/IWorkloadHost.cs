using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Engine;
using ActorKernel.Actors.Tasks;
using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Workloads;

/// <summary>A process as the machine created it: its mm, its mmap_lock and its first thread.</summary>
public sealed record ProcessRefs(int MmId, IActorRef Mm, IActorRef MmapSem, IReadOnlyList<IActorRef> Threads);

/// <summary>What a workload may ask of the machine while it sets itself up.</summary>
public interface IWorkloadHost
{
    SimContext Sim { get; }

    ActorKernelSettings Settings { get; }

    int NextMmId();

    /// <summary>The run's memory model (page frames, LRU, swap, cgroups), or null in runs without the memory-pressure workload.</summary>
    MemoryModel? Memory { get; }

    /// <summary>Create a process on <paramref name="mm"/> with one thread per program; threads marked Main end the run when they have all exited.</summary>
    ProcessRefs CreateProcess(AddressSpace mm, IReadOnlyList<(IEnumerable<TaskOp> Program, bool Main)> threads);
}

/// <summary>A workload: the processes and programs a run starts with.</summary>
public interface IWorkload
{
    /// <summary>Its name (its key under actor-kernel.workload) and the attach points its syscalls fire, with their later points, if any.</summary>
    WorkloadProbes Probes { get; }

    void Start(IWorkloadHost host);
}
