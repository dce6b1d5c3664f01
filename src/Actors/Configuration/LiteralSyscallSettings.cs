namespace ActorKernel.Actors.Configuration;

/// <summary><c>actor-kernel.workload.literal-syscall</c>: a process passes string literals it never read to openat(2) or execve(2), with no fork.</summary>
public sealed record LiteralSyscallSettings
{
    public required bool Enabled { get; init; }
    public required LiteralSyscall Syscall { get; init; }
    public required LiteralStrings Strings { get; init; }
    public required TouchedBefore TouchedBefore { get; init; }
    public required int Calls { get; init; }

    /// <summary>
    /// openat's path, placed so that it ends its page: its length decides whether getname()'s word reads
    /// (StrncpyFromUser) reach the next page ("README.md", 10 bytes, does; "calib/README.md", 16, does not).
    /// </summary>
    public required string OpenPath { get; init; }
}

/// <summary>The syscall the literals are passed to.</summary>
public enum LiteralSyscall
{
    /// <summary>openat(AT_FDCWD, path, …): one process calls it <c>calls</c> times; getname() copies the path after sys_enter_openat.</summary>
    Openat,
    /// <summary>execve(filename, argv, …): <c>calls</c> processes, each started and exec'ing once (exec replaces the caller).</summary>
    Execve,
}

/// <summary>Where the literals live.</summary>
public enum LiteralStrings
{
    Rodata,
    LibRodata,
    Stack,
    Heap,
}

/// <summary>What the process read before the call (each call, before the syscall).</summary>
public enum TouchedBefore
{
    /// <summary>Nothing near the literals.</summary>
    None,
    /// <summary>The page holding the literals.</summary>
    StringsPage,
    /// <summary>Another page in the literals' fault-around window.</summary>
    WindowNeighbour,
}
