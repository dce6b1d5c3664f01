using ActorKernel.Model;

namespace ActorKernel.Actors.Configuration;

/// <summary><c>actor-kernel.probe</c>.</summary>
public sealed record ProbeSettings
{
    /// <summary>The tracepoint the probe is attached to; sys_enter_execve for now.</summary>
    public required string Attach { get; init; }

    /// <summary>How many argv strings the probe reads.</summary>
    public required int MaxArgv { get; init; }

    /// <summary>Whether a trylock policy may resolve an anonymous first touch (zero page or allocation) in place; off → needs-alloc.</summary>
    public required bool AllowAlloc { get; init; }

    /// <summary>probe.read-size and probe.fixed-read-bytes: string targets read up to the NUL, or as a fixed number of bytes.</summary>
    public required ReadSizeRule ReadSize { get; init; }
}
