namespace ActorKernel.Actors.Probe;

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
