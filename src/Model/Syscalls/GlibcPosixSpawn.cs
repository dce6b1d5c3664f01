namespace ActorKernel.Model;

/// <summary>
/// What glibc's posix_spawn() reads of libc's own .rodata before it clones (docs/kernel-model.md §1.7).
/// glibc 2.36 sysdeps/unix/sysv/linux/spawni.c __spawnix() calls __libc_signal_block_all(&amp;args.oldmask)
/// before clone(CLONE_VM | CLONE_VFORK); internal-signals.h implements it as
/// rt_sigprocmask(SIG_BLOCK, &amp;sigall_set, set, __NSIG_BYTES) with sigall_set a static const sigset_t, so it
/// lies in libc's .rodata. kernel/signal.c sys_rt_sigprocmask() copy_from_user()s it: a kernel read of a
/// libc .rodata page that faults it in, with fault-around (mm/memory.c do_fault_around(), 6.18). When that
/// page's fault-around window also holds system()'s and popen()'s shell literals, they are mapped before the
/// first exec. Every posix_spawn() does this read: spawn = posix-spawn, and system()/popen() since 2.29.
/// </summary>
public static class GlibcPosixSpawn
{
    /// <summary>Pages from the shell literals to sigall_set in Debian 12's libc.so.6 2.36-9+deb12u14: "/bin/sh" at file offset 0x197036, sigall_set at 0x1a1178.</summary>
    public const int DebianSigallSetDistancePages = 10;

    /// <summary>
    /// Pages from the shell literals to the jump table of popen()'s mode switch, which the caller reads before it spawns
    /// (libio/iopopen.c _IO_new_proc_open(), 2.36): file offset 0x193204 in Debian's libc.so.6 2.36, measured.
    /// </summary>
    public const int DebianPopenModeTableDistancePages = -4;

    /// <summary>
    /// Pages from the shell literals to the jump table of the spawned child's switch over its file actions, which popen()'s
    /// child reads between the clone and the exec (spawni.c __spawni_child(); popen() passes dup2/close actions, system()
    /// none): file offset 0x19489c in Debian's libc.so.6 2.36, measured.
    /// </summary>
    public const int DebianFileActionsTableDistancePages = -3;

    /// <summary>The address of a libc .rodata read <paramref name="distancePages"/> pages from the shell literals' page (the page start).</summary>
    public static ulong LibcRodataReadAddr(ProcessImage image, int distancePages) =>
        image.RegionOf(RegionKind.LibcRodata).Addr(LibcRodataPage(distancePages));

    /// <summary>sigall_set's offset within its page in that build (file offset 0x1a1178).</summary>
    public const int SigallSetPageOffset = 0x178;

    /// <summary>What the kernel copies: sigsetsize, which sys_rt_sigprocmask() requires to be sizeof(sigset_t), _NSIG / 8 = 8 bytes on x86-64.</summary>
    public const int SigsetBytes = 8;

    /// <summary>The page of libc's .rodata <paramref name="distancePages"/> from the shell literals' page (sigall_set's, a jump table's).</summary>
    public static int LibcRodataPage(int distancePages) => GlibcSystem.ShellLiteralsRodataPage + distancePages;

    /// <summary>sigall_set's address in <paramref name="image"/>: the kernel read's target.</summary>
    public static ulong SigallSetAddr(ProcessImage image, int distancePages) =>
        image.RegionOf(RegionKind.LibcRodata).Addr(LibcRodataPage(distancePages), SigallSetPageOffset);

    /// <summary>
    /// The shell literals' page's index in its aligned fault-around window (0 to window pages - 1): what the
    /// calibration reproducer prints per process ("shell-literals window-index N").
    /// </summary>
    public static int LiteralsWindowIndex(ProcessImage image, FaultAroundWindow window) =>
        (int)(Pages.Vpn(image.RegionOf(RegionKind.LibcRodata).Addr(GlibcSystem.ShellLiteralsRodataPage)) % (ulong)window.Pages);

    /// <summary>
    /// The smallest libc load offset (ImageLayout.LibcLoadOffsetPages) that puts the shell literals' page at
    /// <paramref name="windowIndex"/> of its fault-around window: how the calibration runs the model for a
    /// process whose real window index it measured.
    /// </summary>
    public static int LoadOffsetForLiteralsWindowIndex(ImageLayout layout, FaultAroundWindow window, int windowIndex)
    {
        ModelInvariantException.Check(windowIndex >= 0 && windowIndex < window.Pages, $"window index {windowIndex} is outside a {window.Pages}-page window");
        var atZero = ProcessImage.Build(0, layout with { LibcLoadOffsetPages = 0, LibcLoadOffsetRandom = false },
            new FileObject("prog", layout.ProgFilePages), new FileObject("libc.so.6", layout.LibcFilePages));
        var index = LiteralsWindowIndex(atZero, window);
        return ((windowIndex - index) % window.Pages + window.Pages) % window.Pages;
    }
}
