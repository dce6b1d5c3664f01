namespace ActorKernel.Model;

/// <summary>One chunk of a scan pass: the range change_prot_numa() walked and what it changed.</summary>
/// <param name="VmaName">The VMA, or empty when the step only skipped VMAs and ended the pass.</param>
/// <param name="StartAddr">Chunk start.</param>
/// <param name="EndAddr">Chunk end (2 MiB aligned or the VMA end).</param>
/// <param name="PtesUpdated">PTEs made PROT_NONE.</param>
/// <param name="Done">The pass is over (budget used up or the end of the address space reached).</param>
public readonly record struct NumaScanChunk(string VmaName, ulong StartAddr, ulong EndAddr, int PtesUpdated, bool Done);

/// <summary>
/// kernel/sched/fair.c task_numa_work(): one pass, run chunk by chunk so each chunk can take
/// virtual time. Resumes at mm->numa_scan_offset, marks up to scan_size of pages in 2 MiB-aligned
/// chunks (only chunks that changed a PTE count against it), walks at most 8× that of address
/// space, and on reaching the end of the address space starts a new sequence (reset_ptenuma_scan).
/// With <see cref="KernelProfile.NumaVmaPidsForced"/> (6.7+) a walk that reached the end having
/// skipped PID-inactive VMAs first walks again from numa_scan_offset with vma_pids_forced, and
/// ends after scanning one VMA. The caller holds the mmap lock for read.
/// </summary>
public sealed class TaskNumaWork
{
    private readonly AddressSpace _mm;
    private readonly MmNumaState _state;
    private readonly NumaBalancingParams _p;
    private readonly KernelProfile _k;
    private readonly long _nowNs;
    private readonly int _taskPid;
    private readonly int _cpuNode;
    private readonly int _nrThreads;
    private readonly List<(string Vma, NumaVmaSkip Reason)> _vmaSkips = new();
    private long _pages;
    private long _virtPages;
    private ulong _start;
    private int _vmaIndex;
    private bool _inVma;
    private bool _pidsSkipped;
    private bool _pidsForced;

    public TaskNumaWork(AddressSpace mm, MmNumaState state, NumaBalancingParams p, KernelProfile k, long nowNs, int taskPid, int cpuNode, int nrThreads)
    {
        _mm = mm;
        _state = state;
        _p = p;
        _k = k;
        _nowNs = nowNs;
        _taskPid = taskPid;
        _cpuNode = cpuNode;
        _nrThreads = nrThreads;
        _pages = p.ScanPages;
        _virtPages = p.ScanPages * 8;
        StartSeq = state.ScanSeq;
        StartAtScanOffset();
    }

    /// <summary>numa_scan_seq when the pass began.</summary>
    public int StartSeq { get; }

    public bool IsDone { get; private set; }

    /// <summary>PTEs made PROT_NONE so far.</summary>
    public int PtesUpdated { get; private set; }

    /// <summary>Each VMA passed over and why, in walk order.</summary>
    public IReadOnlyList<(string Vma, NumaVmaSkip Reason)> VmaSkips => _vmaSkips;

    /// <summary>Runs change_prot_numa() on the next chunk (skipping VMAs as the kernel does).</summary>
    public NumaScanChunk Step()
    {
        ModelInvariantException.Check(!IsDone, $"mm {_mm.Id}: task_numa_work step after the pass ended");
        var vmas = _mm.Vmas;
        while (true)
        {
            if (_vmaIndex == vmas.Count)
            {
                // "if (!vma && !vma_pids_forced && vma_pids_skipped) { vma_pids_forced = true; goto retry_pids; }"
                if (!_k.NumaVmaPidsForced || _pidsForced || !_pidsSkipped) break;
                _pidsForced = true;
                StartAtScanOffset();
                continue;
            }
            var vma = vmas[_vmaIndex];
            if (!_inVma)
            {
                var skip = VmaSkip(vma);
                if (skip is not null)
                {
                    _vmaSkips.Add((vma.Name, skip.Value));
                    _vmaIndex++;
                    continue;
                }
                _inVma = true;
            }
            _start = Math.Max(_start, vma.StartAddr);
            ulong end = AlignUp(_start + (ulong)_pages * Pages.Size, ChunkAlign);
            end = Math.Min(end, vma.EndAddr);
            int updated = NumaScanRules.ChangeProtNuma(_mm, vma, Pages.Vpn(_start), Pages.Vpn(end),
                NumaScanRules.TargetNode(_mm, vma, _cpuNode, _k), _k);
            long walked = (long)((end - _start) >> Pages.Shift);
            if (updated > 0) _pages -= walked;
            _virtPages -= walked;
            PtesUpdated += updated;
            var chunk = (vma.Name, _start, end, updated);
            _start = end;
            // "Only force scan within one VMA at a time": a forced walk ends with its first VMA.
            bool forcedVmaDone = false;
            if (end == vma.EndAddr)
            {
                _inVma = false;
                _vmaIndex++;
                if (_k.NumaVmaPidFilter) _state.Numab(vma)!.PrevScanSeq = _state.ScanSeq;
                forcedVmaDone = _pidsForced;
            }
            if (_pages <= 0 || _virtPages <= 0 || forcedVmaDone)
            {
                // "out:" with a VMA in hand: the next pass resumes here.
                _state.ScanOffset = _start;
                IsDone = true;
            }
            return new NumaScanChunk(chunk.Name, chunk.Item2, chunk.end, chunk.updated, IsDone);
        }
        _state.ResetScan();
        IsDone = true;
        return new NumaScanChunk("", 0, 0, 0, true);
    }

    private static ulong ChunkAlign => NumaScanRules.ChunkAlignBytes;

    // retry_pids: resume at numa_scan_offset; with no VMA there, reset_ptenuma_scan() and start at 0.
    private void StartAtScanOffset()
    {
        _start = _state.ScanOffset;
        _vmaIndex = FirstVmaEndingAfter(_start);
        if (_vmaIndex < _mm.Vmas.Count) return;
        _state.ResetScan();
        _start = 0;
        _vmaIndex = 0;
    }

    private NumaVmaSkip? VmaSkip(Vma vma)
    {
        var fixedSkip = NumaScanRules.StaticVmaSkip(vma);
        if (fixedSkip is not null || !_k.NumaVmaPidFilter) return fixedSkip;

        var numab = _state.Numab(vma);
        if (numab is null)
        {
            var next = _nowNs + SimTime.MsToNs(_p.ScanDelayMs);
            numab = _state.CreateNumab(vma, new VmaNumabState
            {
                StartScanSeq = _state.ScanSeq,
                NextScanNs = next,
                PidsActiveResetNs = next + _p.PidResetPeriodNs,
                PrevScanSeq = _state.ScanSeq - 1,
            });
        }
        // "Scanning the VMA's of short lived tasks add more overhead. So delay the scan for new VMAs."
        if (_state.ScanSeq != 0 && _nowNs < numab.NextScanNs) return NumaVmaSkip.ScanDelay;
        if (_state.ScanSeq != 0 && _nowNs > numab.PidsActiveResetNs)
        {
            numab.PidsActiveResetNs += _p.PidResetPeriodNs;
            numab.PidsActive0 = numab.PidsActive1;
            numab.PidsActive1 = 0;
        }
        if (numab.PrevScanSeq == _state.ScanSeq)
        {
            _state.ScanOffset = vma.EndAddr;
            return NumaVmaSkip.SeqCompleted;
        }
        if (_pidsForced || NumaScanRules.VmaIsAccessed(_state, vma, numab, _taskPid, _nrThreads, _k)) return null;
        _pidsSkipped = true;
        return NumaVmaSkip.PidInactive;
    }

    private int FirstVmaEndingAfter(ulong addr)
    {
        var vmas = _mm.Vmas;
        int i = 0;
        while (i < vmas.Count && vmas[i].EndAddr <= addr) i++;
        return i;
    }

    private static ulong AlignUp(ulong addr, ulong align) => (addr + align - 1) & ~(align - 1);
}
