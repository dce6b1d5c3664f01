namespace ActorKernel.Model;

/// <summary>struct vma_numab_state (include/linux/mm_types.h, 6.4+): per-VMA scan bookkeeping.</summary>
public sealed class VmaNumabState
{
    /// <summary>Before this time the VMA is not scanned (unless the mm is on its first sequence).</summary>
    public long NextScanNs { get; set; }

    /// <summary>When pids_active[1] is next shifted into pids_active[0].</summary>
    public long PidsActiveResetNs { get; set; }

    /// <summary>pids_active[0] (older window) and [1] (current window): hash_32(pid, 6) bits of tasks that hint-faulted here.</summary>
    public ulong PidsActive0 { get; set; }

    public ulong PidsActive1 { get; set; }

    /// <summary>mm->numa_scan_seq when the VMA was first seen by the scanner.</summary>
    public int StartScanSeq { get; set; }

    /// <summary>mm->numa_scan_seq when the VMA was last scanned completely.</summary>
    public int PrevScanSeq { get; set; }

    /// <summary>include/linux/hash.h hash_32(pid, ilog2(BITS_PER_LONG)): the PID's bit in pids_active.</summary>
    public static int PidBit(int pid) => (int)(unchecked((uint)pid * 0x61C88647u) >> (32 - 6));
}
