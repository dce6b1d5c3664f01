using ActorKernel.Actors.Engine;
using ActorKernel.Configuration;
using ActorKernel.Model;
using static ActorKernel.Configuration.SettingKinds;

namespace ActorKernel.Actors.Configuration;

/// <summary>
/// Every key of the <c>actor-kernel</c> block, its kind and bounds, and the binding into
/// <see cref="ActorKernelSettings"/>. Defaults live in reference.conf and the kernel profiles, not here.
/// </summary>
public static partial class ActorKernelSchema
{
    public const string Root = "actor-kernel";

    private const long Tera = 1_000_000_000_000;

    /// <summary>The schema other code validates <c>actor-kernel</c> keys against (e.g. sweep axes).</summary>
    public static ConfigSchema Schema { get; } = new(Root);

    private static readonly SettingKind<CostDistribution> Cost = CostDistribution.Kind;
    private static readonly SettingKind<int> Pages = Int32(1, 1_000_000);

    public static readonly ConfigKey<string> Profile = Schema.Add("kernel.profile", OneOf(KernelProfiles.Names));
    private static readonly ConfigKey<bool> HugetlbCopiedAtFork = Feature("hugetlb-copied-at-fork");
    private static readonly ConfigKey<bool> UffdWpForcesCopy = Feature("uffd-wp-forces-copy");
    private static readonly ConfigKey<bool> ForkWriteLocksVmas = Feature("fork-write-locks-vmas");
    private static readonly ConfigKey<bool> NumaScanTrylock = Feature("numa-scan-trylock");
    private static readonly ConfigKey<bool> NumaSkipLocalSingleThreaded = Feature("numa-skip-local-single-threaded");
    private static readonly ConfigKey<NumaSharedCowSkip> NumaSkipSharedCow = Schema.Add("kernel.features.numa-skip-shared-cow", Enum<NumaSharedCowSkip>());
    private static readonly ConfigKey<bool> NumaSkipDirtyFile = Feature("numa-skip-dirty-file");
    private static readonly ConfigKey<bool> NumaVmaPidFilter = Feature("numa-vma-pid-filter");
    private static readonly ConfigKey<bool> NumaVmaPidsForced = Feature("numa-vma-pids-forced");
    private static readonly ConfigKey<bool> NumaVmaSeqThreadsRule = Feature("numa-vma-seq-threads-rule");
    private static readonly ConfigKey<bool> PerVmaLocks = Feature("per-vma-locks");
    private static readonly ConfigKey<VmaLockAnonVmaRule> VmaLockAnonVma = Schema.Add("kernel.features.vma-lock-anon-vma", Enum<VmaLockAnonVmaRule>());
    private static readonly ConfigKey<VmaWriterShutsOutReaders> VmaWriterShutsOut = Schema.Add("kernel.features.vma-writer-shuts-out-readers", Enum<VmaWriterShutsOutReaders>());
    private static readonly ConfigKey<bool> RwsemWriterSpinsOnReaders = Feature("rwsem-writer-spins-on-readers");
    private static readonly ConfigKey<bool> SleepableFentry = Feature("sleepable-fentry");

    private static readonly ConfigKey<Interleaving> EngineInterleaving = Schema.Add("engine.interleaving", Enum<Interleaving>());
    private static readonly ConfigKey<long> MaxEvents = Schema.Add("engine.max-events", Integer(1, 10_000_000_000));
    private static readonly ConfigKey<ExplorationStrategy> Strategy = Schema.Add("engine.strategy",
        new SettingKind<ExplorationStrategy>(ExplorationStrategy.Expected, (RawValue raw, out ExplorationStrategy value) => ExplorationStrategy.TryParse(raw.Text, out value)));
    private static readonly ConfigKey<long> MaxDelayNs = Schema.Add("engine.max-delay-ns", Integer(0, 1_000_000_000));

    private static readonly ConfigKey<int> NumaNodes = Schema.Add("machine.numa-nodes", Int32(1, 64));
    private static readonly ConfigKey<int> CpusPerNode = Schema.Add("machine.cpus-per-node", Int32(1, 256));

    private static readonly ConfigKey<int> FaultAroundBytes = Schema.Add("mm.fault-around-bytes", PowerOfTwo(4096, 2_097_152));
    private static readonly ConfigKey<long> RwsemHandoffWaitNs = Schema.Add("mm.rwsem-handoff-wait-ns", Integer(0, Tera));

    private static readonly ConfigKey<CostDistribution> SyscallEntryNs = Schema.Add("costs.syscall-entry-ns", Cost);
    private static readonly ConfigKey<CostDistribution> PteWalkNs = Schema.Add("costs.pte-walk-ns", Cost);
    private static readonly ConfigKey<CostDistribution> ProbeReadNs = Schema.Add("costs.probe-read-ns", Cost);
    private static readonly ConfigKey<CostDistribution> ProbeFixupNs = Schema.Add("costs.probe-fixup-ns", Cost);
    private static readonly ConfigKey<CostDistribution> MinorFaultNs = Schema.Add("costs.minor-fault-ns", Cost);
    private static readonly ConfigKey<CostDistribution> FaultAroundPageNs = Schema.Add("costs.fault-around-page-ns", Cost);
    private static readonly ConfigKey<CostDistribution> AnonFaultNs = Schema.Add("costs.anon-fault-ns", Cost);
    private static readonly ConfigKey<CostDistribution> MajorFaultNs = Schema.Add("costs.major-fault-ns", Cost);
    private static readonly ConfigKey<CostDistribution> ForkBaseNs = Schema.Add("costs.fork-base-ns", Cost);
    private static readonly ConfigKey<CostDistribution> ForkPerVmaNs = Schema.Add("costs.fork-per-vma-ns", Cost);
    private static readonly ConfigKey<CostDistribution> ForkPerPteNs = Schema.Add("costs.fork-per-pte-ns", Cost);
    private static readonly ConfigKey<CostDistribution> ExecNs = Schema.Add("costs.exec-ns", Cost);
    private static readonly ConfigKey<CostDistribution> ChildExitNs = Schema.Add("costs.child-exit-ns", Cost);
    private static readonly ConfigKey<CostDistribution> CopyFromUserNs = Schema.Add("costs.copy-from-user-ns", Cost);
    private static readonly ConfigKey<CostDistribution> MmapLockOpNs = Schema.Add("costs.mmap-lock-op-ns", Cost);

    private static readonly ConfigKey<string> Attach = Schema.Add("probe.attach", OneOf(["sys_enter_execve"]));
    private static readonly ConfigKey<int> MaxArgv = Schema.Add("probe.max-argv", Int32(1, 64));
    private static readonly ConfigKey<bool> AllowAlloc = Schema.Add("probe.allow-alloc", Flag);

    private static readonly ConfigKey<int> TextPages = Schema.Add("image.text-pages", Pages);
    // The fork-exec workload puts its strings, argv array and far page at fixed .rodata pages (ForkExecWorkload), up to page 21.
    private static readonly ConfigKey<int> RodataPages = Schema.Add("image.rodata-pages", Int32(32, 1_000_000));
    private static readonly ConfigKey<int> RelroPages = Schema.Add("image.relro-pages", Pages);
    private static readonly ConfigKey<int> DataPages = Schema.Add("image.data-pages", Pages);
    private static readonly ConfigKey<int> BssPages = Schema.Add("image.bss-pages", Pages);
    private static readonly ConfigKey<int> HeapPages = Schema.Add("image.heap-pages", Pages);
    private static readonly ConfigKey<int> StackPages = Schema.Add("image.stack-pages", Pages);
    private static readonly ConfigKey<int> LibcTextPages = Schema.Add("image.libc-text-pages", Pages);
    private static readonly ConfigKey<int> LibcRodataPages = Schema.Add("image.libc-rodata-pages", Pages);
    private static readonly ConfigKey<int> LibcDataPages = Schema.Add("image.libc-data-pages", Pages);
    private static readonly ConfigKey<int> VdsoPages = Schema.Add("image.vdso-pages", Pages);
    private static readonly ConfigKey<int> RegionAlignBytes = Schema.Add("image.region-alignment-bytes", PowerOfTwo(4096, 2_097_152));

    private static readonly ConfigKey<bool> Enabled = Schema.Add("workload.fork-exec.enabled", Flag);
    private static readonly ConfigKey<int> Execs = Schema.Add("workload.fork-exec.execs", Int32(1, 10_000_000));
    private static readonly ConfigKey<SpawnMethod> Spawn = Schema.Add("workload.fork-exec.spawn", Enum<SpawnMethod>());
    private static readonly ConfigKey<StringsRegion> Strings = Schema.Add("workload.fork-exec.strings", Enum<StringsRegion>());
    private static readonly ConfigKey<ArgvArrayRegion> ArgvArray = Schema.Add("workload.fork-exec.argv-array", Enum<ArgvArrayRegion>());
    private static readonly ConfigKey<int> Argc = Schema.Add("workload.fork-exec.argc", Int32(1, 64));
    private static readonly ConfigKey<bool> ParentTouchesStrings = Schema.Add("workload.fork-exec.parent-touches-strings", Flag);
    private static readonly ConfigKey<ChildTouches> ChildTouch = Schema.Add("workload.fork-exec.child-touches", Enum<ChildTouches>());
    private static readonly ConfigKey<StringsPageCache> PageCache = Schema.Add("workload.fork-exec.strings-page-cache", Enum<StringsPageCache>());
    private static readonly ConfigKey<int> ParentThreads = Schema.Add("workload.fork-exec.parent-threads", Int32(1, 1024));
    private static readonly ConfigKey<long> CycleIntervalUs = Schema.Add("workload.fork-exec.cycle-interval-us", Integer(0, 1_000_000_000));
    private static readonly ConfigKey<StringsPlacement> Placement = Schema.Add("workload.fork-exec.strings-placement", Enum<StringsPlacement>());

    private static readonly ConfigKey<bool> ChurnEnabled = Schema.Add("workload.mmap-churn.enabled", Flag);
    private static readonly ConfigKey<ChurnProcess> ChurnProcessKey = Schema.Add("workload.mmap-churn.process", Enum<ChurnProcess>());
    private static readonly ConfigKey<int> ChurnThreads = Schema.Add("workload.mmap-churn.threads", Int32(1, 1024));
    private static readonly ConfigKey<long> ChurnOpsPerS = Schema.Add("workload.mmap-churn.ops-per-s", Integer(0, 100_000_000));
    private static readonly ConfigKey<int> MixMmap = Schema.Add("workload.mmap-churn.mix.mmap", Int32(0, 1_000_000));
    private static readonly ConfigKey<int> MixMunmap = Schema.Add("workload.mmap-churn.mix.munmap", Int32(0, 1_000_000));
    private static readonly ConfigKey<int> MixMprotect = Schema.Add("workload.mmap-churn.mix.mprotect", Int32(0, 1_000_000));
    private static readonly ConfigKey<int> MixBrk = Schema.Add("workload.mmap-churn.mix.brk", Int32(0, 1_000_000));
    private static readonly ConfigKey<int> MixFork = Schema.Add("workload.mmap-churn.mix.fork", Int32(0, 1_000_000));
    private static readonly ConfigKey<long> HoldMmapNs = Schema.Add("workload.mmap-churn.hold-ns.mmap", Integer(0, Tera));
    private static readonly ConfigKey<long> HoldMunmapNs = Schema.Add("workload.mmap-churn.hold-ns.munmap", Integer(0, Tera));
    private static readonly ConfigKey<long> HoldMprotectNs = Schema.Add("workload.mmap-churn.hold-ns.mprotect", Integer(0, Tera));
    private static readonly ConfigKey<long> HoldBrkNs = Schema.Add("workload.mmap-churn.hold-ns.brk", Integer(0, Tera));

    /// <summary>Binds a resolved <c>actor-kernel</c> block (every key set) into settings.</summary>
    public static ActorKernelSettings Bind(ResolvedConfig c)
    {
        var profileName = c.Get(Profile);
        var settings = new ActorKernelSettings
        {
            Kernel = new KernelSettings
            {
                ProfileName = profileName,
                Profile = new KernelProfile
                {
                    Name = profileName,
                    HugetlbCopiedAtFork = c.Get(HugetlbCopiedAtFork),
                    UffdWpForcesCopy = c.Get(UffdWpForcesCopy),
                    ForkWriteLocksVmas = c.Get(ForkWriteLocksVmas),
                    NumaScanTrylock = c.Get(NumaScanTrylock),
                    NumaSkipLocalSingleThreaded = c.Get(NumaSkipLocalSingleThreaded),
                    NumaSkipSharedCow = c.Get(NumaSkipSharedCow),
                    NumaSkipDirtyFile = c.Get(NumaSkipDirtyFile),
                    NumaVmaPidFilter = c.Get(NumaVmaPidFilter),
                    NumaVmaPidsForced = c.Get(NumaVmaPidsForced),
                    NumaVmaSeqThreadsRule = c.Get(NumaVmaSeqThreadsRule),
                    PerVmaLocks = c.Get(PerVmaLocks),
                    VmaLockAnonVma = c.Get(VmaLockAnonVma),
                    VmaWriterShutsOutReaders = c.Get(VmaWriterShutsOut),
                    RwsemWriterSpinsOnReaders = c.Get(RwsemWriterSpinsOnReaders),
                    SleepableFentry = c.Get(SleepableFentry),
                },
            },
            Engine = new EngineSettings
            {
                Interleaving = c.Get(EngineInterleaving),
                MaxEvents = c.Get(MaxEvents),
                Strategy = c.Get(Strategy),
                MaxDelayNs = c.Get(MaxDelayNs),
            },
            Machine = new MachineSettings { NumaNodes = c.Get(NumaNodes), CpusPerNode = c.Get(CpusPerNode), Arch = BindArch(c) },
            Mm = new MmSettings { FaultAroundBytes = c.Get(FaultAroundBytes), RwsemHandoffWaitNs = c.Get(RwsemHandoffWaitNs) },
            Costs = BindCosts(c),
            Probe = new ProbeSettings { Attach = c.Get(Attach), MaxArgv = c.Get(MaxArgv), AllowAlloc = c.Get(AllowAlloc), ReadSize = BindReadSize(c) },
            Image = new ImageLayout
            {
                TextPages = c.Get(TextPages),
                RodataPages = c.Get(RodataPages),
                RelroPages = c.Get(RelroPages),
                DataPages = c.Get(DataPages),
                BssPages = c.Get(BssPages),
                HeapPages = c.Get(HeapPages),
                StackPages = c.Get(StackPages),
                LibcTextPages = c.Get(LibcTextPages),
                LibcRodataPages = c.Get(LibcRodataPages),
                LibcDataPages = c.Get(LibcDataPages),
                VdsoPages = c.Get(VdsoPages),
                RegionAlignBytes = c.Get(RegionAlignBytes),
                LibTextPages = c.Get(LibTextPages),
                LibRodataPages = c.Get(LibRodataPages),
                LibcLoadOffsetPages = BindLibcLoadOffset(c).Pages,
                LibcLoadOffsetRandom = BindLibcLoadOffset(c).Random,
                LibcSigallSetDistancePages = c.Get(LibcSigallSetDistance),
                LibcPopenModeTableDistancePages = c.Get(LibcPopenModeTableDistance),
                LibcFileActionsTableDistancePages = c.Get(LibcFileActionsTableDistance),
            },
            Workload = new WorkloadSettings
            {
                ForkExec = BindForkExec(c),
                NumaIdle = BindNumaIdle(c),
                MmapChurn = BindChurn(c),
                LiteralSyscall = BindLiteralSyscall(c),
                MemoryPressure = BindMemoryPressure(c),
            },
            Memory = BindMemory(c),
            Sched = BindSched(c),
            NumaBalancing = BindNumaBalancing(c),
            NumaCosts = BindNumaCosts(c),
            Metrics = BindMetrics(c),
        };
        CheckFreshWindows(settings);
        CheckShellSpawn(settings.Workload.ForkExec);
        CheckLibcReads(settings);
        CheckNumaVmaRules(settings.Kernel.Profile);
        return settings;
    }

    private static CostsSettings BindCosts(ResolvedConfig c)
    {
        var varying = new Dictionary<string, CostDistribution>(StringComparer.Ordinal);
        return new CostsSettings
        {
            SyscallEntryNs = CostNs(c, SyscallEntryNs, varying),
            PteWalkNs = CostNs(c, PteWalkNs, varying),
            ProbeReadNs = CostNs(c, ProbeReadNs, varying),
            ProbeFixupNs = CostNs(c, ProbeFixupNs, varying),
            MinorFaultNs = CostNs(c, MinorFaultNs, varying),
            FaultAroundPageNs = CostNs(c, FaultAroundPageNs, varying),
            AnonFaultNs = CostNs(c, AnonFaultNs, varying),
            MajorFaultNs = CostNs(c, MajorFaultNs, varying),
            ForkBaseNs = CostNs(c, ForkBaseNs, varying),
            ForkPerVmaNs = CostNs(c, ForkPerVmaNs, varying),
            ForkPerPteNs = CostNs(c, ForkPerPteNs, varying),
            ExecNs = CostNs(c, ExecNs, varying),
            ChildExitNs = CostNs(c, ChildExitNs, varying),
            CopyFromUserNs = CostNs(c, CopyFromUserNs, varying),
            MmapLockOpNs = CostNs(c, MmapLockOpNs, varying),
            SwapInNs = CostNs(c, SwapInNs, varying),
            ReclaimNsPerPage = CostNs(c, ReclaimNsPerPage, varying),
            Varying = new VaryingCosts(varying),
        };
    }

    // A cost's fixed value (or median), noting the key in varying when it has a distribution.
    private static long CostNs(ResolvedConfig c, ConfigKey<CostDistribution> key, Dictionary<string, CostDistribution> varying)
    {
        var value = c.Get(key);
        if (value is not CostDistribution.Fixed) varying.Add(key.Path[(Root.Length + 1)..], value);
        return value.TypicalNs;
    }

    // vma_pids_forced (6.7) and the thread-count rule (6.11) refine the PID filter (6.4): without it they have nothing to act on.
    private static void CheckNumaVmaRules(KernelProfile k)
    {
        if (k.NumaVmaPidFilter) return;
        if (k.NumaVmaPidsForced) throw RefinesPidFilter(NumaVmaPidsForced);
        if (k.NumaVmaSeqThreadsRule) throw RefinesPidFilter(NumaVmaSeqThreadsRule);
    }

    private static ConfigError RefinesPidFilter(ConfigKey<bool> key) =>
        new($"{key.Path} = on needs {NumaVmaPidFilter.Path} = on: it refines the per-VMA PID filter, which is off");

    // fresh-window-per-exec places each exec's strings at the start of its own fault-around window of
    // .rodata (RodataPlaces, the numbers the workload uses): at least one whole window must fit.
    private static void CheckFreshWindows(ActorKernelSettings s)
    {
        var w = s.Workload.ForkExec;
        if (!w.Enabled || w.StringsPlacement != StringsPlacement.FreshWindowPerExec || w.Strings != StringsRegion.Rodata) return;
        var rodata = RodataPlaces.Of(s.Image, s.Mm.FaultAroundBytes);
        if (rodata.FreshWindows >= 1) return;
        var needed = rodata.FreshFirstPage + rodata.Window.Pages;
        throw new ConfigError(
            $"{Placement.Path} = fresh-window-per-exec (with strings = rodata) needs {RodataPages.Path} >= {needed}, got {s.Image.RodataPages}: " +
            $"each exec's strings take a fresh {rodata.Window.Pages}-page window of .rodata (mm.fault-around-bytes) from page {rodata.FreshFirstPage} on");
    }

    private static ForkExecSettings BindForkExec(ResolvedConfig c)
    {
        var forkExec = new ForkExecSettings
        {
            Enabled = c.Get(Enabled),
            Execs = c.Get(Execs),
            Spawn = c.Get(Spawn),
            Strings = c.Get(Strings),
            ArgvArray = c.Get(ArgvArray),
            Argc = c.Get(Argc),
            ParentTouchesStrings = c.Get(ParentTouchesStrings),
            ChildTouches = c.Get(ChildTouch),
            StringsPageCache = c.Get(PageCache),
            ParentThreads = c.Get(ParentThreads),
            CycleIntervalUs = c.Get(CycleIntervalUs),
            StringsPlacement = c.Get(Placement),
            LibcVersion = BindLibcVersion(c),
        };
        return forkExec;
    }

    private static MmapChurnSettings BindChurn(ResolvedConfig c)
    {
        var churn = new MmapChurnSettings
        {
            Enabled = c.Get(ChurnEnabled),
            Process = c.Get(ChurnProcessKey),
            Threads = c.Get(ChurnThreads),
            OpsPerS = c.Get(ChurnOpsPerS),
            Mix = new ChurnMix(c.Get(MixMmap), c.Get(MixMunmap), c.Get(MixMprotect), c.Get(MixBrk), c.Get(MixFork)),
            HoldNs = new ChurnHoldNs(c.Get(HoldMmapNs), c.Get(HoldMunmapNs), c.Get(HoldMprotectNs), c.Get(HoldBrkNs)),
        };
        if (churn.Enabled && churn.OpsPerS > 0 && churn.Mix.Total == 0)
            throw new ConfigError($"{Root}.workload.mmap-churn.mix: every weight is 0 while ops-per-s is {churn.OpsPerS}; give at least one of mmap, munmap, mprotect, brk, fork a weight above 0");
        return churn;
    }

    private static ConfigKey<bool> Feature(string name) => Schema.Add("kernel.features." + name, Flag);
}
