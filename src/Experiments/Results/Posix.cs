using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ActorKernel.Experiments.Results;

/// <summary>
/// The three libc calls the output folder needs and .NET does not offer: <c>renameat2(RENAME_EXCHANGE)</c>
/// (swap two folders in one step), <c>access(2)</c> (may this user write here, read-only file system
/// included, asked before anything is written) and <c>open(O_NONBLOCK)</c> (read a file that may be a
/// FIFO without hanging).
/// </summary>
internal static class Posix
{
    private const int AtFdCwd = -100;
    private const uint RenameExchange = 2;
    private const int WriteOk = 2;
    private const int SearchOk = 1;
    // Same values on x86-64 and arm64 Linux.
    private const int OpenNonBlock = 0x800;
    private const int OpenCloseOnExec = 0x80000;
    private const int NoSuchSystemCall = 38;
    private const int InvalidArgument = 22;
    private const int NotSupported = 95;

    /// <summary>Swap <paramref name="a"/> and <paramref name="b"/> atomically; false when the system or file system cannot (then nothing happened).</summary>
    public static bool TryExchange(string a, string b)
    {
        int result;
        try
        {
            result = renameat2(AtFdCwd, a, AtFdCwd, b, RenameExchange);
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        if (result == 0) return true;
        var errno = Marshal.GetLastPInvokeError();
        if (errno is NoSuchSystemCall or InvalidArgument or NotSupported) return false;
        throw new IOException($"cannot swap {b} with {a}: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    /// <summary>Why this process may not create entries in folder <paramref name="path"/> (e.g. "Permission denied", "Read-only file system"), or null when it may.</summary>
    public static string? WhyNotWritable(string path)
    {
        try
        {
            if (access(path, WriteOk | SearchOk) == 0) return null;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
        return Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
    }

    /// <summary>Open <paramref name="path"/> for reading without blocking on a FIFO; null when it is not a seekable (regular) file.</summary>
    public static FileStream? OpenRegularForRead(string path)
    {
        var fd = open(path, OpenNonBlock | OpenCloseOnExec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException(Marshal.GetPInvokeErrorMessage(errno));
        }
        var stream = new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Read);
        if (stream.CanSeek) return stream;
        stream.Dispose();
        return null;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int renameat2(int olddirfd, string oldpath, int newdirfd, string newpath, uint flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int access(string path, int mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int open(string path, int flags);
}
