using System.Globalization;

namespace ActorKernel.Model;

/// <summary>A glibc release, "major.minor" (workload.fork-exec.libc-version).</summary>
public readonly record struct GlibcVersion(int Major, int Minor) : IComparable<GlibcVersion>
{
    /// <summary>glibc 2.29: system() and popen() spawn with posix_spawn() (commits "posix: Use posix_spawn on system" and "libio: Use posix_spawn on popen").</summary>
    public static GlibcVersion PosixSpawnSince => new(2, 29);

    /// <summary>Parses "2.36"; false for anything but two non-negative integers joined by a dot.</summary>
    public static bool TryParse(string text, out GlibcVersion version)
    {
        version = default;
        var parts = text.Split('.');
        if (parts.Length != 2) return false;
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)) return false;
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor)) return false;
        version = new GlibcVersion(major, minor);
        return true;
    }

    public int CompareTo(GlibcVersion other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public static bool operator <(GlibcVersion a, GlibcVersion b) => a.CompareTo(b) < 0;

    public static bool operator >(GlibcVersion a, GlibcVersion b) => a.CompareTo(b) > 0;

    public static bool operator <=(GlibcVersion a, GlibcVersion b) => a.CompareTo(b) <= 0;

    public static bool operator >=(GlibcVersion a, GlibcVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Major.ToString(CultureInfo.InvariantCulture)}.{Minor.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>
/// How glibc's system() and popen() start the shell (docs/kernel-model.md §1.7). Both exec
/// <see cref="ShellPath"/> with argv { <see cref="ShellName"/>, <see cref="ShellOption"/>, command }:
/// the three literals live in libc's .rodata, the argv array on the caller's stack, the command
/// wherever the program built it (the heap, in the model).
/// </summary>
public static class GlibcSystem
{
    /// <summary>SHELL_PATH / _PATH_BSHELL.</summary>
    public const string ShellPath = "/bin/sh";

    /// <summary>SHELL_NAME, argv[0].</summary>
    public const string ShellName = "sh";

    /// <summary>argv[1].</summary>
    public const string ShellOption = "-c";

    /// <summary>
    /// The page of the model's libc .rodata holding all three literals (Debian 12's glibc 2.36 keeps them on one page:
    /// "-c\0/bin/sh" at file offset 0x19702e, "sh" the tail of "/bin/sh").
    /// </summary>
    public const int ShellLiteralsRodataPage = RodataPlaces.StringsPage;

    /// <summary>
    /// Before 2.29, sysdeps/posix/system.c do_system() forks (__fork()) and the child calls
    /// __execve(SHELL_PATH, new_argv, __environ), and libio/iopopen.c _IO_new_proc_open() forks
    /// (_IO_fork()) and execs with _IO_execl("/bin/sh", "sh", "-c", command, NULL) (2.28). From 2.29
    /// both call __posix_spawn(), which sysdeps/unix/sysv/linux/spawni.c __spawnix() implements with
    /// clone(CLONE_VM | CLONE_VFORK): the child runs on the caller's mm until it execs.
    /// </summary>
    public static SpawnKind SpawnKindOf(GlibcVersion libc) => libc < GlibcVersion.PosixSpawnSince ? SpawnKind.Fork : SpawnKind.Vfork;
}
