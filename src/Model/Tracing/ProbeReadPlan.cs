namespace ActorKernel.Model;

/// <summary>
/// What a probe program reads at one tracepoint hit, in order: pointers into the caller's
/// memory (bpf_probe_read_user), and, for a program that defers, what it reads later instead.
/// </summary>
/// <param name="Reads">The reads at the entry point, in order.</param>
public sealed record ProbeReadPlan(IReadOnlyList<PlannedRead> Reads)
{
    /// <summary>Nothing to read at the hit itself (an exit point: a deferred program reads what it remembered).</summary>
    public static ProbeReadPlan None { get; } = new(Array.Empty<PlannedRead>());

    /// <summary>What a deferred program reads at the later point instead; null where this model has no deferred read.</summary>
    public DeferredExecRead? Deferred { get; init; }
}

/// <summary>One probe read: <paramref name="Target"/> names it (the key of results' byTarget).</summary>
public sealed record PlannedRead(string Target, ulong Addr, int LengthBytes)
{
    /// <summary>Reads whose addresses come from this read's bytes (argv strings from the argv array): queued when it succeeds, counted as skipped when it fails.</summary>
    public IReadOnlyList<PlannedRead> Then { get; init; } = Array.Empty<PlannedRead>();

    /// <summary>The bytes expected at the address (a deferred read's copy of what the caller passed), for the staleness check; null: not checked.</summary>
    public string? TextAtEntry { get; init; }

    /// <summary>A NUL-terminated string (<see cref="LengthBytes"/> includes the NUL), which probe.read-size = fixed reads with a fixed-size helper instead; false for pointer arrays and buffers.</summary>
    public bool IsString { get; init; }
}

/// <summary>
/// execve's deferred read: at <paramref name="ExitPoint"/> (sched_process_exec) the old mm is
/// gone and mm->arg_start..arg_end of the new one holds what copy_strings() wrote (present);
/// the program re-reads filename, argv array and argv strings there.
/// </summary>
/// <param name="ExitPoint">Where the program reads.</param>
/// <param name="Args">The arguments at sys_enter_execve (the strings' bytes then, for the staleness check).</param>
/// <param name="MaxArgv">How many argv strings the program reads (probe.max-argv).</param>
public sealed record DeferredExecRead(Tracepoint ExitPoint, ExecveArgs Args, int MaxArgv)
{
    /// <summary>The new mm's argument area (mm id <paramref name="mmId"/>) and the reads in it; a read is stale when the area's string there differs from its <see cref="PlannedRead.TextAtEntry"/>.</summary>
    public (ExecArgArea Area, IReadOnlyList<PlannedRead> Reads) Plan(int mmId)
    {
        var area = ExecArgArea.Build(mmId, Args.FilenameText, Args.ArgvText);
        var reads = new List<PlannedRead>
        {
            new(ProbeTargets.Filename, area.FilenameAddr, Args.Filename.LengthBytes) { TextAtEntry = Args.FilenameText },
            new(ProbeTargets.ArgvArray, area.ArgvArrayAddr, 8 * Math.Min(Args.Argv.Count + 1, MaxArgv)),
        };
        var argvCount = Math.Min(Args.Argv.Count, MaxArgv);
        for (var i = 0; i < argvCount; i++)
            reads.Add(new PlannedRead(ProbeTargets.Argv, area.Argv[i].Addr, area.Argv[i].LengthBytes) { TextAtEntry = Args.ArgvText[i] });
        return (area, reads);
    }
}
