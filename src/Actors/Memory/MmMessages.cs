using ActorKernel.Model;
using Akka.Actor;

namespace ActorKernel.Actors.Memory;

/// <summary>
/// A probe's page-table walk under pagefault_disable(): no fault is taken. <paramref name="StringBytes"/> &gt; 0:
/// a fixed-size read of a string that long (NUL included), so a failure past it is reported as such.
/// </summary>
public sealed record ProbeWalk(ulong Addr, int LengthBytes, int ReadId, IActorRef ReplyTo, int StringBytes = 0);

public sealed record ProbeWalkResult(int ReadId, ProbeReadResult Result);

/// <summary>
/// An access to user memory that may fault: by the task itself (user mode) or by the kernel
/// on its behalf (copy_from_user). <paramref name="LockHeld"/> says the caller holds the
/// mmap_lock for read; without it, a range that needs a fault is answered with
/// <see cref="AccessNeedsLock"/> and nothing changes.
/// </summary>
/// <remarks>TaskId: The task on whose behalf the access is made (NUMA hint-fault accounting).</remarks>
/// <remarks>CpuNode: NUMA node of the CPU it runs on: new pages are allocated there, hint faults migrate there.</remarks>
/// <remarks>UserMode: the task's own access (FAULT_FLAG_USER): on 6.4+ its faults try the VMA's lock before the mmap_lock.</remarks>
public sealed record UserAccess(ulong Addr, int LengthBytes, AccessKind Kind, bool LockHeld, IActorRef ReplyTo, int TaskId = 0, int CpuNode = 0, bool UserMode = false);

/// <summary>The access needs the mmap_lock for read: blocking, or (<paramref name="TrylockFirst"/>, 6.18 __vmf_anon_prepare()) a trylock first, blocking if it fails.</summary>
public sealed record AccessNeedsLock(ulong Addr, bool TrylockFirst = false);

/// <summary>The access is done; <paramref name="CostNs"/> is the virtual time its faults and copy take.</summary>
public sealed record AccessDone(ulong Addr, long CostNs, int MinorFaults, int MajorFaults, FaultKind? Error);

/// <summary>The page-cache state the workload re-establishes before a cycle (posix_fadvise, readahead).</summary>
public enum PageCacheAdvice
{
    /// <summary>POSIX_FADV_DONTNEED: evict the page unless some PTE maps it.</summary>
    DontNeed,
    /// <summary>Evict, then read the page back by readahead, which leaves PG_readahead on it.</summary>
    ReadaheadMarker,
}

public sealed record AdvisePageCache(ulong Addr, PageCacheAdvice Advice);

/// <summary>dup_mmap(): start copying this mm into a child mm with id <paramref name="ChildMmId"/>.</summary>
public sealed record DupMmapBegin(int ChildMmId, IActorRef ReplyTo);

public sealed record DupMmapReady(int VmaCount);

/// <summary>Copy the next VMA (one step of dup_mmap's VMA loop).</summary>
public sealed record DupMmapNext(IActorRef ReplyTo);

public sealed record DupMmapStepped(DupMmapStep Step, bool Done);

/// <summary>Hand the finished child address space over to its new owner.</summary>
public sealed record DupMmapTakeChild(IActorRef ReplyTo);

public sealed record DupMmapChild(AddressSpace Child);

/// <summary>mmget(): another task uses this mm (a thread, a vfork child).</summary>
public sealed record MmGet;

/// <summary>mmput(): a user is gone; the last one releases the address space (exit_mmap) and stops the actor.</summary>
public sealed record MmPut;

/// <summary>To the machine: the last user of mm <paramref name="MmId"/> is gone (mmput → exit_mmap) and its actor stopped; what served only this mm can go too.</summary>
public sealed record MmReleased(int MmId);

/// <summary>Ask for the page-table view at this virtual time (the pagemap command); answered with a Metrics.PageTableSnapshot.</summary>
public sealed record DescribePageTable(IActorRef ReplyTo);

/// <summary>Hand the page-table view to <paramref name="Callback"/>, synchronously on the run's thread (scenario tests inspecting a paused run).</summary>
public sealed record InspectPageTable(Action<IReadOnlyList<PageTableRow>> Callback);

/// <summary>
/// Make the PTE of the page holding <paramref name="Addr"/> old (AddressSpace.MakePteOld: what reclaim's
/// ptep_clear_flush_young() does); <paramref name="Reply"/> is told, on the run's thread, whether it was young.
/// </summary>
public sealed record MakePteOld(ulong Addr, Action<bool> Reply);
