namespace ActorKernel.Actors.Workloads;

/// <summary>The names of what the memory-pressure workload's probe reads; keys of results' byTarget.</summary>
public static class MemoryPressureTargets
{
    /// <summary>A page of idle file-backed data (a mapped data file, read once at start).</summary>
    public const string IdleFile = "idle-file";

    /// <summary>A page of the idle anonymous buffer (written once at start).</summary>
    public const string IdleAnon = "idle-anon";

    /// <summary>A page of the hot working set (file-backed, read every few milliseconds).</summary>
    public const string Hot = "hot";
}
