namespace ActorKernel.Model;

/// <summary>A NUL-terminated string in user memory: where it starts and how many bytes it spans, NUL included.</summary>
public readonly record struct UserString(ulong Addr, int LengthBytes);

/// <summary>The arguments of execve(2) as a tracepoint sees them: pointers into the caller's memory.</summary>
public sealed record ExecveArgs(UserString Filename, ulong ArgvAddr, IReadOnlyList<UserString> Argv)
{
    /// <summary>The bytes at <see cref="Filename"/> when the syscall was entered (for deferred readers' staleness check).</summary>
    public string FilenameText { get; init; } = "";

    /// <summary>The bytes of each argv string when the syscall was entered.</summary>
    public IReadOnlyList<string> ArgvText { get; init; } = Array.Empty<string>();

    /// <summary>Bytes of the argv pointer array, terminating NULL included.</summary>
    public int ArgvArrayBytes => 8 * (Argv.Count + 1);

    /// <summary>
    /// What a tracer reads at sys_enter_execve, like bcc's execsnoop: the filename, the argv
    /// pointer array (up to <paramref name="maxArgv"/> pointers, NULL included), then each argv
    /// string it points to; deferred, the same from the new mm at sched_process_exec.
    /// </summary>
    public ProbeReadPlan ReadPlan(int maxArgv)
    {
        var strings = Argv.Take(maxArgv).Select(s => new PlannedRead(ProbeTargets.Argv, s.Addr, s.LengthBytes) { IsString = true }).ToArray();
        var reads = new[]
        {
            new PlannedRead(ProbeTargets.Filename, Filename.Addr, Filename.LengthBytes) { IsString = true },
            new PlannedRead(ProbeTargets.ArgvArray, ArgvAddr, 8 * Math.Min(Argv.Count + 1, maxArgv)) { Then = strings },
        };
        return new ProbeReadPlan(reads) { Deferred = new DeferredExecRead(Tracepoint.SchedProcessExec, this, maxArgv) };
    }
}

/// <summary>The names of what a sys_enter_execve probe reads; the keys of results' byTarget.</summary>
public static class ProbeTargets
{
    /// <summary>The filename string (args->filename).</summary>
    public const string Filename = "filename";

    /// <summary>The argv pointer array (args->argv), up to max-argv pointers.</summary>
    public const string ArgvArray = "argv-array";

    /// <summary>Each argv string, up to max-argv of them.</summary>
    public const string Argv = "argv";
}
