using ActorKernel.Model;

namespace ActorKernel.TestKit.ScenarioFiles;

/// <summary>
/// A scenario as data (docs/scenarios.md, format version <see cref="Version"/>): the kernel profile
/// and the processes, each with its placed strings and pointer arrays and its threads' steps. The
/// same value drives the model (<see cref="ScenarioFileLoader"/>) and the real-kernel runner
/// (calibration/scenario_runner.c); <see cref="ScenarioFileWriter"/> and <see cref="ScenarioFileParser"/>
/// convert it to and from text.
/// </summary>
public sealed record ScenarioFile(string Kernel, IReadOnlyList<ScenarioProcess> Processes)
{
    /// <summary>The format version the header line names: "actorkernel-scenario 1".</summary>
    public const int Version = 1;

    /// <summary>The first line of every scenario file.</summary>
    public const string Header = "actorkernel-scenario 1";

    /// <summary>Every exec step, depth first in file order (forked children's steps where they appear).</summary>
    public IEnumerable<ExecStep> Execs() =>
        Processes.SelectMany(p => p.Threads).SelectMany(t => Flatten(t.Steps)).OfType<ExecStep>();

    private static IEnumerable<ScenarioStep> Flatten(IEnumerable<ScenarioStep> steps) =>
        steps.SelectMany(s => s is SpawnStep sp ? new[] { s }.Concat(Flatten(sp.Child)) : [s]);
}

/// <summary>One process: strings first, then pointer arrays (the order the TestKit packs them on their pages), then threads.</summary>
public sealed record ScenarioProcess(IReadOnlyList<PlacedString> Strings, IReadOnlyList<PlacedArray> Arrays, IReadOnlyList<ScenarioThread> Threads)
{
    /// <summary>The pages read before the scenario starts (touched-at-start lines; the TestKit's TouchedAtStart), in file order.</summary>
    public IReadOnlyList<StartTouch> StartTouches { get; init; } = [];
}

/// <summary>touched-at-start REGION FIRST COUNT: pages FIRST .. FIRST + COUNT - 1 of the region were read before the scenario starts.</summary>
public sealed record StartTouch(RegionKind Region, int FirstPage, int Pages);

/// <summary>A NUL-terminated string at <paramref name="OffsetBytes"/> of page <paramref name="Page"/> of <paramref name="Region"/>.</summary>
public sealed record PlacedString(string Name, RegionKind Region, int Page, int OffsetBytes, string Text)
{
    /// <summary>Bytes it spans, NUL included.</summary>
    public int LengthBytes => System.Text.Encoding.UTF8.GetByteCount(Text) + 1;
}

/// <summary>A NULL-terminated array of pointers to the named strings (like argv).</summary>
public sealed record PlacedArray(string Name, RegionKind Region, int Page, int OffsetBytes, IReadOnlyList<string> Targets)
{
    /// <summary>Bytes it spans, NULL pointer included.</summary>
    public int LengthBytes => 8 * (Targets.Count + 1);
}

/// <summary>A thread's steps; a background thread is not waited for (the TestKit's BackgroundThread).</summary>
public sealed record ScenarioThread(bool Background, IReadOnlyList<ScenarioStep> Steps);

/// <summary>One step of a thread's program.</summary>
public abstract record ScenarioStep;

/// <summary>read NAME: a user-mode read of the named string or array.</summary>
public sealed record ReadStep(string Name) : ScenarioStep;

/// <summary>write NAME: a user-mode write of the named string or array (its bytes unchanged).</summary>
public sealed record WriteStep(string Name) : ScenarioStep;

/// <summary>read-page REGION N: read one byte at the start of page N of the region.</summary>
public sealed record ReadPageStep(RegionKind Region, int Page) : ScenarioStep;

/// <summary>fork { … } or vfork { … }: the child runs <paramref name="Child"/>.</summary>
public sealed record SpawnStep(SpawnKind Kind, IReadOnlyList<ScenarioStep> Child) : ScenarioStep;

/// <summary>exec FILENAME ARGV: execve() with the named string and pointer array; the probe reads at sys_enter_execve.</summary>
public sealed record ExecStep(string Filename, string Argv) : ScenarioStep;

/// <summary>wait-child: wait4() for one child.</summary>
public sealed record WaitChildStep : ScenarioStep;

/// <summary>sleep DURATION.</summary>
public sealed record SleepStep(long DurationNs) : ScenarioStep;

/// <summary>evict NAME [readahead-marker]: drop the file page behind the named string from the page cache, or leave it cached with PG_readahead.</summary>
public sealed record EvictStep(string Name, bool ReadaheadMarker) : ScenarioStep;

/// <summary>hold-mmap-lock read|write DURATION (model only: user space cannot hold the mmap_lock).</summary>
public sealed record HoldMmapLockStep(bool Write, long DurationNs) : ScenarioStep;

/// <summary>sys-write NAME [kernel-reads]: write(2) of the named buffer; the probe reads it at sys_enter_write; the kernel reads it only with kernel-reads.</summary>
public sealed record SysWriteStep(string Name, bool KernelReads) : ScenarioStep;

/// <summary>sys-openat NAME: openat(2) of the named path; the probe reads it at sys_enter_openat, getname() right after.</summary>
public sealed record SysOpenatStep(string Name) : ScenarioStep;

/// <summary>compute DURATION: burn CPU for that much runtime.</summary>
public sealed record ComputeStep(long DurationNs) : ScenarioStep;

/// <summary>run-on-cpu N: sched_setaffinity() to CPU N (machine order).</summary>
public sealed record RunOnCpuStep(int CpuIndex) : ScenarioStep;

/// <summary>signal NAME: raise the scenario-wide signal.</summary>
public sealed record SignalStep(string Signal) : ScenarioStep;

/// <summary>wait-for NAME: wait until some thread has raised the signal.</summary>
public sealed record WaitForStep(string Signal) : ScenarioStep;

/// <summary>block-forever: sleep until the run ends.</summary>
public sealed record BlockForeverStep : ScenarioStep;

/// <summary>exit: the thread (a child: the process) exits here; always the last step of its block.</summary>
public sealed record ExitStep : ScenarioStep;
