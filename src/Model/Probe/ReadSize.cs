namespace ActorKernel.Model;

/// <summary>Which helper a tracer reads a string with (actor-kernel.probe.read-size).</summary>
public enum ProbeReadSize
{
    /// <summary>bpf_probe_read_user_str(): up to the NUL (strncpy_from_user_nofault()).</summary>
    Str,
    /// <summary>bpf_probe_read_user(dst, N, ptr) of a fixed N bytes, as bcc's older opensnoop read a NAME_MAX buffer.</summary>
    Fixed,
}

/// <summary>How many bytes a probe reads for a planned read, and how it reports a failure (kernel-model.md §1.6).</summary>
/// <param name="Size">The helper.</param>
/// <param name="FixedBytes">N of a fixed-size read (probe.fixed-read-bytes).</param>
public readonly record struct ReadSizeRule(ProbeReadSize Size, int FixedBytes)
{
    /// <summary>The default: every string up to its NUL.</summary>
    public static ReadSizeRule Str => new(ProbeReadSize.Str, 0);

    /// <summary>A string target read with the fixed-size helper; other targets keep their own size.</summary>
    public bool IsFixed(PlannedRead read) => Size == ProbeReadSize.Fixed && read.IsString;

    /// <summary>The bytes the helper copies for <paramref name="read"/>.</summary>
    public int BytesOf(PlannedRead read) => IsFixed(read) ? FixedBytes : read.LengthBytes;

    /// <summary>The nofault walk of <paramref name="read"/> in <paramref name="mm"/>, by the helper's size.</summary>
    public ProbeReadResult Walk(AddressSpace mm, PlannedRead read) =>
        IsFixed(read) ? ProbeRead.WalkFixed(mm, read.Addr, FixedBytes, read.LengthBytes) : ProbeRead.Walk(mm, read.Addr, read.LengthBytes);
}
