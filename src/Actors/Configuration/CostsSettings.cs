namespace ActorKernel.Actors.Configuration;

/// <summary><c>actor-kernel.costs</c>: virtual nanoseconds per operation (kernel-model.md §7), each fixed or drawn per use (<see cref="CostDistribution"/>).</summary>
public sealed record CostsSettings : DrawnCosts<CostsSettings>
{
    // Fixed values (or the medians of the varying keys); a run's copy draws the varying ones (DrawnCosts.ForRun).
    private readonly long _syscallEntryNs;
    private readonly long _pteWalkNs;
    private readonly long _probeReadNs;
    private readonly long _probeFixupNs;
    private readonly long _minorFaultNs;
    private readonly long _faultAroundPageNs;
    private readonly long _anonFaultNs;
    private readonly long _majorFaultNs;
    private readonly long _forkBaseNs;
    private readonly long _forkPerVmaNs;
    private readonly long _forkPerPteNs;
    private readonly long _execNs;
    private readonly long _childExitNs;
    private readonly long _copyFromUserNs;
    private readonly long _mmapLockOpNs;
    private readonly long _swapInNs;
    private readonly long _reclaimNsPerPage;

    public required long SyscallEntryNs { get => Draw("costs.syscall-entry-ns", _syscallEntryNs); init => _syscallEntryNs = value; }

    public required long PteWalkNs { get => Draw("costs.pte-walk-ns", _pteWalkNs); init => _pteWalkNs = value; }

    public required long ProbeReadNs { get => Draw("costs.probe-read-ns", _probeReadNs); init => _probeReadNs = value; }

    public required long ProbeFixupNs { get => Draw("costs.probe-fixup-ns", _probeFixupNs); init => _probeFixupNs = value; }

    public required long MinorFaultNs { get => Draw("costs.minor-fault-ns", _minorFaultNs); init => _minorFaultNs = value; }

    public required long FaultAroundPageNs { get => Draw("costs.fault-around-page-ns", _faultAroundPageNs); init => _faultAroundPageNs = value; }

    public required long AnonFaultNs { get => Draw("costs.anon-fault-ns", _anonFaultNs); init => _anonFaultNs = value; }

    public required long MajorFaultNs { get => Draw("costs.major-fault-ns", _majorFaultNs); init => _majorFaultNs = value; }

    public required long ForkBaseNs { get => Draw("costs.fork-base-ns", _forkBaseNs); init => _forkBaseNs = value; }

    public required long ForkPerVmaNs { get => Draw("costs.fork-per-vma-ns", _forkPerVmaNs); init => _forkPerVmaNs = value; }

    public required long ForkPerPteNs { get => Draw("costs.fork-per-pte-ns", _forkPerPteNs); init => _forkPerPteNs = value; }

    public required long ExecNs { get => Draw("costs.exec-ns", _execNs); init => _execNs = value; }

    public required long ChildExitNs { get => Draw("costs.child-exit-ns", _childExitNs); init => _childExitNs = value; }

    public required long CopyFromUserNs { get => Draw("costs.copy-from-user-ns", _copyFromUserNs); init => _copyFromUserNs = value; }

    public required long MmapLockOpNs { get => Draw("costs.mmap-lock-op-ns", _mmapLockOpNs); init => _mmapLockOpNs = value; }

    /// <summary>do_swap_page() reading a page back from swap (a major fault).</summary>
    public required long SwapInNs { get => Draw("costs.swap-in-ns", _swapInNs); init => _swapInNs = value; }

    /// <summary>Reclaim's time per page scanned (isolate, folio_referenced(), unmap, free or swap out).</summary>
    public required long ReclaimNsPerPage { get => Draw("costs.reclaim-ns-per-page", _reclaimNsPerPage); init => _reclaimNsPerPage = value; }
}
