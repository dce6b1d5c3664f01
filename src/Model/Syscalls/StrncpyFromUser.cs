namespace ActorKernel.Model;

/// <summary>
/// lib/strncpy_from_user.c do_strncpy_from_user() (6.18), the copy getname() makes of a path: on architectures with
/// CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS (x86-64, arm64 and s390x select it) it reads the string a word
/// (<c>sizeof(unsigned long)</c>) at a time from the string's own, possibly unaligned, address until a word holds the
/// NUL, falling back to a byte at a time only when a word read faults. So the last word may reach up to 7 bytes past
/// the NUL, and across a page boundary when the string ends near one: that page is faulted in (with its fault-around
/// window) though no byte of the string is on it; a page no VMA maps there only sends the copy to its byte loop.
/// </summary>
public static class StrncpyFromUser
{
    /// <summary><c>sizeof(unsigned long)</c> on the 64-bit architectures the model knows.</summary>
    public const int WordBytes = 8;

    /// <summary>
    /// The bytes from the string's address the word loop reads for a NUL-terminated string of
    /// <paramref name="stringBytes"/> bytes (its NUL included): whole words up to the one holding the NUL.
    /// </summary>
    public static int BytesRead(int stringBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stringBytes, 1);
        return (stringBytes + WordBytes - 1) / WordBytes * WordBytes;
    }
}
