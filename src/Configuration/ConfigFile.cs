using System.Runtime.InteropServices;
using System.Text;

namespace ActorKernel.Configuration;

/// <summary>
/// Reads a configuration file the user named, refusing what would hang, exhaust memory or read
/// garbage: a path that is not a regular file (a FIFO with no writer blocks its reader for ever,
/// <c>/dev/zero</c> never ends), a file over <see cref="MaxBytes"/>, and text that is not UTF-8.
/// Every refusal is a <see cref="ConfigError"/> naming the file.
/// </summary>
public static class ConfigFile
{
    /// <summary>The largest configuration file read: 1 MiB (ActorKernel's largest shipped file is under 4 KiB).</summary>
    public const int MaxBytes = 1 << 20;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The text of the file at <paramref name="path"/>; <paramref name="description"/> names it in errors (e.g. "experiment file").</summary>
    public static string ReadText(string path, string description)
    {
        var shown = UserText.Shorten(path, 200);
        if (path.Length == 0) throw new ConfigError($"{description} '' is an empty path");
        if (Directory.Exists(path)) throw new ConfigError($"{description} '{shown}' is a folder, not a file");
        if (!File.Exists(path)) throw new ConfigError($"{description} '{shown}' does not exist");
        if (UnixFileType.Of(path) is { } type && type != UnixFileType.Regular)
            throw new ConfigError($"{description} '{shown}' is {UnixFileType.Describe(type)}, not a regular file");
        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            bytes = ReadAtMost(stream, MaxBytes + 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ConfigError($"cannot read {description} '{shown}': {e.Message}");
        }
        if (bytes.Length > MaxBytes)
            throw new ConfigError($"{description} '{shown}' is larger than {MaxBytes / 1024 / 1024} MiB, the limit for a configuration file");
        try
        {
            var text = StrictUtf8.GetString(bytes);
            return text.StartsWith('\uFEFF') ? text[1..] : text;
        }
        catch (DecoderFallbackException e)
        {
            throw new ConfigError($"{description} '{shown}' is not UTF-8 text (invalid byte at offset {e.Index})");
        }
    }

    // Reads until the end or limit bytes, whatever the file claims its length is (/proc files say 0).
    private static byte[] ReadAtMost(Stream stream, int limit)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        while (buffer.Length < limit)
        {
            var n = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, limit - buffer.Length));
            if (n == 0) break;
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }
}

/// <summary>
/// The type of a file on Unix (regular, FIFO, device, ...), which .NET's file APIs do not tell:
/// read through the runtime's own stat shim (libSystem.Native's SystemNative_Stat, whose
/// FileStatus begins with the fields Flags and Mode on every .NET for Unix).
/// </summary>
internal static partial class UnixFileType
{
    public const int Regular = 0x8000;

    private const int TypeMask = 0xF000;

    /// <summary>The S_IFMT bits of the file at <paramref name="path"/> (symbolic links followed), or null on Windows or when stat fails (the open that follows then reports why).</summary>
    public static int? Of(string path)
    {
        if (OperatingSystem.IsWindows()) return null;
        try
        {
            return Stat(path, out var status) == 0 ? status.Mode & TypeMask : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    public static string Describe(int type) => type switch
    {
        0x1000 => "a FIFO",
        0x2000 => "a character device",
        0x4000 => "a folder",
        0x6000 => "a block device",
        0xC000 => "a socket",
        _ => "a special file",
    };

    // Larger than FileStatus of any .NET version; only Mode is read.
    [StructLayout(LayoutKind.Explicit, Size = 512)]
    private struct FileStatus
    {
        [FieldOffset(4)]
        public int Mode;
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, out FileStatus status);
}
