using ActorKernel.Actors.Configuration;
using ActorKernel.Configuration;
using ActorKernel.Model;

namespace ActorKernel.Actors.Tests.Configuration;

/// <summary>The keys of kernel-model.md §1.5-§1.8: defaults that leave x86-64 results alone, and the one-line refusals.</summary>
public class UserReportsSettingsTests
{
    private static ActorKernelSettings Load(params string[] set) => SettingsLoader.Load(null, set);

    private static string Refused(params string[] set)
    {
        var e = Assert.Throws<ConfigError>(() => SettingsLoader.Load(null, set));
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    [Fact]
    public void Defaults_AreX86_StrReads_Glibc236_LiteralSyscallOff()
    {
        var s = Load();
        Assert.Equal(ArchCaps.X86_64, s.Machine.Arch);
        Assert.Equal(ReadSizeRule.Str with { FixedBytes = 255 }, s.Probe.ReadSize);
        Assert.Equal(new GlibcVersion(2, 36), s.Workload.ForkExec.LibcVersion);
        Assert.False(s.Workload.LiteralSyscall.Enabled);
        Assert.Equal((16, 48), (s.Image.LibTextPages, s.Image.LibRodataPages));
    }

    [Theory]
    [InlineData("x86-64", "default", MachineArch.X86_64, true)]
    [InlineData("arm64", "default", MachineArch.Arm64, true)]
    [InlineData("arm64", "off", MachineArch.Arm64, false)]
    [InlineData("s390x", "default", MachineArch.S390x, false)]
    [InlineData("x86-64", "off", MachineArch.X86_64, false)]
    public void Arch_AndHwPteYoung_Bind(string arch, string hw, MachineArch expected, bool hwYoung)
    {
        var s = Load($"machine.arch={arch}", $"machine.hw-pte-young={hw}");
        Assert.Equal(new ArchCaps(expected, hwYoung), s.Machine.Arch);
    }

    [Fact]
    public void S390x_WithHwPteYoungOn_IsRefused() =>
        Assert.Equal(
            "actor-kernel.machine.hw-pte-young = on is impossible with actor-kernel.machine.arch = s390x: s390x has no hardware-managed young bit: " +
            "its pte_mkold() invalidates the PTE (arch/s390/include/asm/pgtable.h); use off or default",
            Refused("machine.arch=s390x", "machine.hw-pte-young=on"));

    [Fact]
    public void UnknownArch_NamesTheAllowedValues() =>
        Assert.Contains("x86-64, arm64, s390x", Refused("machine.arch=riscv64"));

    [Theory]
    [InlineData("2")]
    [InlineData("2.x")]
    [InlineData("2.36.1")]
    public void LibcVersion_MustBeMajorDotMinor(string version) =>
        Assert.Contains("actor-kernel.workload.fork-exec.libc-version", Refused($"workload.fork-exec.libc-version=\"{version}\""));

    [Fact]
    public void ShellSpawn_WithChildTouches_IsRefused() =>
        Assert.Contains("child-touches = window-neighbour needs actor-kernel.workload.fork-exec.spawn = fork, vfork or posix-spawn",
            Refused("workload.fork-exec.spawn=system", "workload.fork-exec.child-touches=window-neighbour"));

    [Theory]
    [InlineData("system", "2.28", SpawnKind.Fork)]
    [InlineData("popen", "2.28", SpawnKind.Fork)]
    [InlineData("system", "2.29", SpawnKind.Vfork)]
    [InlineData("posix-spawn", "2.28", SpawnKind.Vfork)]
    [InlineData("fork", "2.36", SpawnKind.Fork)]
    public void Spawn_WithLibcVersion_DecidesTheSpawnKind(string spawn, string libc, SpawnKind expected) =>
        Assert.Equal(expected, Load($"workload.fork-exec.spawn={spawn}", $"workload.fork-exec.libc-version=\"{libc}\"").Workload.ForkExec.SpawnKind);

    [Fact]
    public void ReadSize_Fixed_Binds() =>
        Assert.Equal(new ReadSizeRule(ProbeReadSize.Fixed, 4096), Load("probe.read-size=fixed", "probe.fixed-read-bytes=4096").Probe.ReadSize);

    [Fact]
    public void FixedReadBytes_OutOfRange_IsRefused() =>
        Assert.Contains("actor-kernel.probe.fixed-read-bytes", Refused("probe.fixed-read-bytes=0"));

    [Fact]
    public void LiteralSyscall_Binds()
    {
        var w = Load("workload.literal-syscall.enabled=on", "workload.literal-syscall.syscall=execve", "workload.literal-syscall.strings=lib-rodata",
            "workload.literal-syscall.touched-before=window-neighbour", "workload.literal-syscall.calls=3",
            "workload.literal-syscall.open-path=\"calib/README.md\"").Workload.LiteralSyscall;
        Assert.Equal(new LiteralSyscallSettings
        {
            Enabled = true, Syscall = LiteralSyscall.Execve, Strings = LiteralStrings.LibRodata, TouchedBefore = TouchedBefore.WindowNeighbour, Calls = 3,
            OpenPath = "calib/README.md",
        }, w);
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"two words\"")]
    public void LiteralSyscall_OpenPath_EmptyOrWithSpaces_IsRefused(string value) =>
        Assert.Contains("actor-kernel.workload.literal-syscall.open-path", Refused($"workload.literal-syscall.open-path={value}"));

    [Fact]
    public void LiteralSyscall_DataStrings_IsRefused() =>
        Assert.Contains("actor-kernel.workload.literal-syscall.strings", Refused("workload.literal-syscall.strings=data"));

    [Fact]
    public void LibcLoadOffset_DefaultsToRandom_AndSigallSetDistanceToDebians236()
    {
        var image = Load().Image;
        Assert.True(image.LibcLoadOffsetRandom);
        Assert.Equal(10, image.LibcSigallSetDistancePages);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("7", 7)]
    [InlineData("511", 511)]
    public void LibcLoadOffset_FixedPages_Bind(string value, int pages)
    {
        var image = Load($"image.libc-load-offset-pages={value}").Image;
        Assert.False(image.LibcLoadOffsetRandom);
        Assert.Equal(pages, image.LibcLoadOffsetPages);
    }

    [Theory]
    [InlineData("512")]
    [InlineData("-1")]
    [InlineData("aslr")]
    public void LibcLoadOffset_OutsideRandomOr0To511_IsRefused(string value)
    {
        var message = Refused($"image.libc-load-offset-pages={value}");
        Assert.Contains("actor-kernel.image.libc-load-offset-pages", message);
        Assert.Contains("random or an integer from 0 to 511", message);
    }

    // posix_spawn() reads sigall_set on libc .rodata page 5 + distance: it must be a page of libc's .rodata (100 pages by default).
    [Theory]
    [InlineData("posix-spawn", "-6")]
    [InlineData("system", "95")]
    [InlineData("popen", "95")]
    public void SigallSetDistance_OutsideLibcRodata_IsRefused_WhenThePosixSpawnReadsIt(string spawn, string distance)
    {
        var message = Refused($"workload.fork-exec.spawn={spawn}", $"image.libc-sigall-set-distance-pages={distance}");
        Assert.Contains("actor-kernel.image.libc-sigall-set-distance-pages", message);
        Assert.Contains("use -5 to 94", message);
    }

    [Theory]
    [InlineData("image.libc-popen-mode-table-distance-pages")]
    [InlineData("image.libc-file-actions-table-distance-pages")]
    public void PopenTableDistances_DefaultToDebians236_AndAreCheckedOnlyForPopen(string key)
    {
        var image = Load().Image;
        Assert.Equal((-4, -3), (image.LibcPopenModeTableDistancePages, image.LibcFileActionsTableDistancePages));
        Assert.Contains($"actor-kernel.{key}", Refused("workload.fork-exec.spawn=popen", $"{key}=-6"));
        var system = Load("workload.fork-exec.spawn=system", $"{key}=-6").Image;
        Assert.Equal(-6, key.Contains("mode", StringComparison.Ordinal) ? system.LibcPopenModeTableDistancePages : system.LibcFileActionsTableDistancePages);
    }

    [Fact]
    public void SigallSetDistance_IsNotChecked_WhenNothingPosixSpawns()
    {
        Assert.Equal(95, Load("workload.fork-exec.spawn=fork", "image.libc-sigall-set-distance-pages=95").Image.LibcSigallSetDistancePages);
        Assert.Equal(95, Load("workload.fork-exec.spawn=system", "workload.fork-exec.libc-version=\"2.28\"", "image.libc-sigall-set-distance-pages=95").Image.LibcSigallSetDistancePages);
    }
}
