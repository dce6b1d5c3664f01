using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Memory;

/// <summary>The mm's NUMA scanner exists: the mm reports its hint faults to it.</summary>
public sealed record AttachNumaScanner(IActorRef Scanner);

/// <summary>task_numa_work() begins a pass on behalf of <paramref name="TaskId"/> (the scanner holds the mmap read lock).</summary>
public sealed record NumaScanBegin(int TaskId, int CpuNode, int NrThreads, IActorRef ReplyTo);

/// <summary>The pass can start: the mm's numa_scan_seq at its start.</summary>
public sealed record NumaScanReady(int ScanSeq);

/// <summary>change_prot_numa() on the pass's next chunk.</summary>
public sealed record NumaScanNext(IActorRef ReplyTo);

public sealed record NumaScanStepped(NumaScanChunk Chunk);

/// <summary>
/// do_numa_page() finished for <paramref name="TaskId"/>: task_numa_fault()'s inputs, sent to the
/// mm's scanner (which holds the task's NUMA fields).
/// </summary>
public sealed record NumaHintFaulted(int TaskId, bool Local, bool Private, bool Migrated, int ToNode, int MmScanSeq);
