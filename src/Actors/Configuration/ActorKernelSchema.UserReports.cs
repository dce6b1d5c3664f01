using System.Text.RegularExpressions;
using ActorKernel.Configuration;
using ActorKernel.Model;
using static ActorKernel.Configuration.SettingKinds;

namespace ActorKernel.Actors.Configuration;

/// <summary>
/// The keys of the mechanisms behind today's user reports: the CPU architecture and old PTEs,
/// fixed-size probe reads, glibc's system()/popen(), library literals and the literal-syscall workload
/// (kernel-model.md §1.5-§1.8; reference.conf documents them). Like ActorKernelSchema.Numa.cs, this
/// file's name sorts after ActorKernelSchema.cs, whose Schema its static initializers use.
/// </summary>
public static partial class ActorKernelSchema
{
    private static readonly ConfigKey<string> Arch = Schema.Add("machine.arch", OneOf(System.Enum.GetValues<MachineArch>().Select(a => a.ToName()).ToArray()));
    private static readonly ConfigKey<HwPteYoung> HwPteYoungKey = Schema.Add("machine.hw-pte-young", Enum<HwPteYoung>());

    private static readonly ConfigKey<ProbeReadSize> ReadSize = Schema.Add("probe.read-size", Enum<ProbeReadSize>());
    private static readonly ConfigKey<int> FixedReadBytes = Schema.Add("probe.fixed-read-bytes", Int32(1, 65_536));

    private static readonly ConfigKey<string> LibcVersion = Schema.Add("workload.fork-exec.libc-version",
        Text(new Regex(@"^[0-9]{1,4}\.[0-9]{1,4}$", RegexOptions.CultureInvariant), "a glibc version, major.minor (e.g. 2.28 or 2.36)"));

    private static readonly ConfigKey<int> LibTextPages = Schema.Add("image.lib-text-pages", Int32(1, 1_000_000));
    // The library's .rodata is placed as the program's (RodataPlaces), which looks for windows from page 32 on: more than 32 pages.
    private static readonly ConfigKey<int> LibRodataPages = Schema.Add("image.lib-rodata-pages", Int32(33, 1_000_000));

    private static readonly ConfigKey<string> LibcLoadOffset = Schema.Add("image.libc-load-offset-pages",
        Text(new Regex(@"^(random|[0-9]{1,3})$", RegexOptions.CultureInvariant), $"random or an integer from 0 to {ImageLayout.MaxLibcLoadOffsetPages}"));
    private static readonly ConfigKey<int> LibcSigallSetDistance = Schema.Add("image.libc-sigall-set-distance-pages", Int32(-1_000_000, 1_000_000));
    private static readonly ConfigKey<int> LibcPopenModeTableDistance = Schema.Add("image.libc-popen-mode-table-distance-pages", Int32(-1_000_000, 1_000_000));
    private static readonly ConfigKey<int> LibcFileActionsTableDistance = Schema.Add("image.libc-file-actions-table-distance-pages", Int32(-1_000_000, 1_000_000));

    private static readonly ConfigKey<bool> LiteralEnabled = Schema.Add("workload.literal-syscall.enabled", Flag);
    private static readonly ConfigKey<LiteralSyscall> LiteralSyscallKey = Schema.Add("workload.literal-syscall.syscall", Enum<LiteralSyscall>());
    private static readonly ConfigKey<LiteralStrings> LiteralStringsKey = Schema.Add("workload.literal-syscall.strings", Enum<LiteralStrings>());
    private static readonly ConfigKey<TouchedBefore> LiteralTouchedBefore = Schema.Add("workload.literal-syscall.touched-before", Enum<TouchedBefore>());
    private static readonly ConfigKey<int> LiteralCalls = Schema.Add("workload.literal-syscall.calls", Int32(1, 10_000_000));
    // Printable ASCII, so its length in bytes is its length in characters; at most 255 bytes (NAME_MAX), so it fits its page.
    private static readonly ConfigKey<string> LiteralOpenPath = Schema.Add("workload.literal-syscall.open-path",
        Text(new Regex(@"^[\x21-\x7e]{1,255}$", RegexOptions.CultureInvariant), "a path of 1 to 255 printable ASCII characters, no spaces"));

    /// <summary>machine.hw-pte-young: the architecture's default (on for x86-64 and arm64, off for s390x), or forced.</summary>
    private enum HwPteYoung { Default, On, Off }

    private static ArchCaps BindArch(ResolvedConfig c)
    {
        var arch = System.Enum.GetValues<MachineArch>().Single(a => a.ToName() == c.Get(Arch));
        var hw = c.Get(HwPteYoungKey) switch
        {
            HwPteYoung.On => true,
            HwPteYoung.Off => false,
            _ => arch != MachineArch.S390x,
        };
        var (caps, error) = ArchCaps.Of(arch, hw);
        return caps ?? throw new ConfigError($"{HwPteYoungKey.Path} = on is impossible with {Arch.Path} = s390x: {error}; use off or default");
    }

    /// <summary>image.libc-load-offset-pages: random (drawn per process, ASLR) or a fixed number of pages, 0 to 511.</summary>
    private static (int Pages, bool Random) BindLibcLoadOffset(ResolvedConfig c)
    {
        var text = c.Get(LibcLoadOffset);
        if (text == "random") return (0, true);
        var pages = int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        return pages <= ImageLayout.MaxLibcLoadOffsetPages
            ? (pages, false)
            : throw new ConfigError($"{LibcLoadOffset.Path} = {text}: expected random or an integer from 0 to {ImageLayout.MaxLibcLoadOffsetPages}");
    }

    // posix_spawn() reads sigall_set, and popen() two jump tables, on libc's .rodata page literals + distance (GlibcPosixSpawn): those pages must exist.
    private static void CheckLibcReads(ActorKernelSettings s)
    {
        var w = s.Workload.ForkExec;
        if (!w.Enabled || !w.SpawnsWithPosixSpawn) return;
        CheckLibcRodataDistance(s.Image, LibcSigallSetDistance, s.Image.LibcSigallSetDistancePages, "sigall_set");
        if (w.Spawn != SpawnMethod.Popen) return;
        CheckLibcRodataDistance(s.Image, LibcPopenModeTableDistance, s.Image.LibcPopenModeTableDistancePages, "popen()'s mode jump table");
        CheckLibcRodataDistance(s.Image, LibcFileActionsTableDistance, s.Image.LibcFileActionsTableDistancePages, "the file-actions jump table");
    }

    private static void CheckLibcRodataDistance(ImageLayout image, ConfigKey<int> key, int distance, string what)
    {
        var page = GlibcPosixSpawn.LibcRodataPage(distance);
        if (page >= 0 && page < image.LibcRodataPages) return;
        throw new ConfigError(
            $"{key.Path} = {distance} puts {what} on libc .rodata page {page}, outside {LibcRodataPages.Path} = {image.LibcRodataPages}: " +
            $"use {-GlibcSystem.ShellLiteralsRodataPage} to {image.LibcRodataPages - 1 - GlibcSystem.ShellLiteralsRodataPage}");
    }

    private static ReadSizeRule BindReadSize(ResolvedConfig c) => new(c.Get(ReadSize), c.Get(FixedReadBytes));

    private static GlibcVersion BindLibcVersion(ResolvedConfig c) =>
        GlibcVersion.TryParse(c.Get(LibcVersion), out var v) ? v : throw new ConfigError($"{LibcVersion.Path}: not a glibc version: {c.Get(LibcVersion)}");

    private static LiteralSyscallSettings BindLiteralSyscall(ResolvedConfig c) => new()
    {
        Enabled = c.Get(LiteralEnabled),
        Syscall = c.Get(LiteralSyscallKey),
        Strings = c.Get(LiteralStringsKey),
        TouchedBefore = c.Get(LiteralTouchedBefore),
        Calls = c.Get(LiteralCalls),
        OpenPath = c.Get(LiteralOpenPath),
    };

    // system()/popen() children run only libc between the spawn and the exec: the program cannot make them touch its strings.
    private static void CheckShellSpawn(ForkExecSettings w)
    {
        if (!w.Enabled || !w.ViaShell || w.ChildTouches == ChildTouches.None) return;
        throw new ConfigError(
            $"{ChildTouch.Path} = {NameOf(w.ChildTouches)} needs {Spawn.Path} = fork, vfork or posix-spawn: " +
            $"the child of {NameOf(w.Spawn)}() runs only libc before it execs /bin/sh; use child-touches = none");
    }
}
