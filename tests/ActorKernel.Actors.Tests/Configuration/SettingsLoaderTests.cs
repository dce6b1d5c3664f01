using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Engine;
using ActorKernel.Configuration;
using ActorKernel.Model;

namespace ActorKernel.Actors.Tests.Configuration;

public class SettingsLoaderTests
{
    private static ActorKernelSettings Defaults(params string[] set) => SettingsLoader.Load(null, set);

    [Fact]
    public void Reference_defaults_bind()
    {
        var s = Defaults();

        Assert.Equal("6.18", s.Kernel.ProfileName);
        Assert.Equal(Interleaving.Random, s.Engine.Interleaving);
        Assert.Equal(50_000_000, s.Engine.MaxEvents);
        Assert.Equal((1, 2), (s.Machine.NumaNodes, s.Machine.CpusPerNode));
        Assert.Equal(65536, s.Mm.FaultAroundBytes);
        Assert.Equal(4_000_000, s.Mm.RwsemHandoffWaitNs);
        Assert.Equal(100, s.Costs.SyscallEntryNs);
        Assert.Equal(20, s.Costs.PteWalkNs);
        Assert.Equal(100_000, s.Costs.MajorFaultNs);
        Assert.Equal(5, s.Costs.ForkPerPteNs);
        Assert.Equal(50, s.Costs.MmapLockOpNs);
        Assert.Equal("sys_enter_execve", s.Probe.Attach);
        Assert.Equal(8, s.Probe.MaxArgv);
        Assert.Equal(256, s.Image.TextPages);
        Assert.Equal(64, s.Image.RodataPages);
        Assert.Equal(2, s.Image.VdsoPages);
        var w = s.Workload.ForkExec;
        Assert.True(w.Enabled);
        Assert.Equal(100, w.Execs);
        Assert.Equal(SpawnMethod.Fork, w.Spawn);
        Assert.Equal(StringsRegion.Rodata, w.Strings);
        Assert.Equal(ArgvArrayRegion.Stack, w.ArgvArray);
        Assert.Equal(3, w.Argc);
        Assert.True(w.ParentTouchesStrings);
        Assert.Equal(ChildTouches.None, w.ChildTouches);
        Assert.Equal(StringsPageCache.Warm, w.StringsPageCache);
        Assert.Equal(1, w.ParentThreads);
        Assert.Equal(1000, w.CycleIntervalUs);
    }

    [Fact]
    public void Every_profile_is_embedded()
    {
        Assert.Equal(["4.14", "6.8", "6.18"], KernelProfiles.Names);
    }

    // kernel-model.md §6, column by column.
    [Theory]
    [InlineData("4.14", true, false, false, true, true, false, false, false, false, false)]
    [InlineData("6.8", false, true, true, true, true, true, true, false, true, true)]
    [InlineData("6.18", false, true, true, true, true, true, true, true, true, true)]
    public void Each_profile_sets_its_switches(string profile, bool hugetlb, bool uffdWp, bool forkWriteLocks, bool numaTrylock,
        bool numaSkipLocal, bool numaPidFilter, bool numaPidsForced, bool numaSeqThreads, bool perVmaLocks, bool sleepable)
    {
        var k = Defaults($"kernel.profile={profile}").Kernel;

        Assert.Equal(profile, k.ProfileName);
        Assert.Equal(profile, k.Profile.Name);
        Assert.Equal(profile switch { "4.14" => NumaSharedCowSkip.None, "6.8" => NumaSharedCowSkip.RefCount, _ => NumaSharedCowSkip.MappedShared }, k.Profile.NumaSkipSharedCow);
        Assert.Equal(profile != "4.14", k.Profile.NumaSkipDirtyFile);
        Assert.Equal(
            [hugetlb, uffdWp, forkWriteLocks, numaTrylock, numaSkipLocal, numaPidFilter, numaPidsForced, numaSeqThreads, perVmaLocks, sleepable],
            new[]
            {
                k.Profile.HugetlbCopiedAtFork, k.Profile.UffdWpForcesCopy, k.Profile.ForkWriteLocksVmas, k.Profile.NumaScanTrylock,
                k.Profile.NumaSkipLocalSingleThreaded, k.Profile.NumaVmaPidFilter, k.Profile.NumaVmaPidsForced, k.Profile.NumaVmaSeqThreadsRule,
                k.Profile.PerVmaLocks, k.Profile.SleepableFentry,
            });
    }

    [Fact]
    public void A_profile_switch_can_be_overridden()
    {
        var k = Defaults("kernel.profile=6.8", "kernel.features.per-vma-locks=off").Kernel.Profile;

        Assert.False(k.PerVmaLocks);
        Assert.True(k.ForkWriteLocksVmas);
    }

    [Fact]
    public void A_numa_vma_refinement_without_the_pid_filter_is_one_line_naming_both_keys()
    {
        var e = Assert.Throws<ConfigError>(() => Defaults("kernel.profile=6.8", "kernel.features.numa-vma-pid-filter=off"));

        Assert.Equal("actor-kernel.kernel.features.numa-vma-pids-forced = on needs actor-kernel.kernel.features.numa-vma-pid-filter = on: it refines the per-VMA PID filter, which is off", e.Message);
    }

    [Fact]
    public void The_experiment_file_selects_the_profile_and_overrides_reference()
    {
        using var file = new TempConfig("""
            actor-kernel {
              kernel.profile = "4.14"
              workload.fork-exec { spawn = vfork, execs = 7, parent-touches-strings = no }
              costs.exec-ns = 123
            }
            """);

        var s = SettingsLoader.Load(file.Path, []);

        Assert.Equal("4.14", s.Kernel.ProfileName);
        Assert.True(s.Kernel.Profile.HugetlbCopiedAtFork);
        Assert.Equal(SpawnMethod.Vfork, s.Workload.ForkExec.Spawn);
        Assert.Equal(7, s.Workload.ForkExec.Execs);
        Assert.False(s.Workload.ForkExec.ParentTouchesStrings);
        Assert.Equal(123, s.Costs.ExecNs);
        Assert.Equal(100, s.Costs.SyscallEntryNs);
    }

    [Fact]
    public void Set_overrides_the_file_with_or_without_the_prefix()
    {
        using var file = new TempConfig("actor-kernel.workload.fork-exec { execs = 7, spawn = vfork }");

        var s = SettingsLoader.Load(file.Path, ["workload.fork-exec.execs=9", "actor-kernel.workload.fork-exec.spawn = posix-spawn"]);

        Assert.Equal(9, s.Workload.ForkExec.Execs);
        Assert.Equal(SpawnMethod.PosixSpawn, s.Workload.ForkExec.Spawn);
    }

    [Fact]
    public void Set_values_may_be_quoted_hocon_strings()
    {
        var s = Defaults("kernel.profile=\"6.8\"", "probe.attach = \"sys_enter_execve\"");

        Assert.Equal("6.8", s.Kernel.ProfileName);
    }

    [Theory]
    [InlineData("on", true)]
    [InlineData("off", false)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("yes", true)]
    [InlineData("no", false)]
    public void Booleans_accept_on_off_true_false_yes_no(string word, bool expected)
    {
        Assert.Equal(expected, Defaults($"workload.fork-exec.enabled={word}").Workload.ForkExec.Enabled);
    }

    [Fact]
    public void A_layer_above_the_file_overrides_everything_including_the_profile()
    {
        var file = SettingsLoader.Overrides.Layer(["workload.fork-exec.execs=9"], ConfigSource.Set);
        var point = SettingsLoader.Overrides.Layer(["actor-kernel.workload.fork-exec.execs=11", "kernel.profile=4.14"], new ConfigSource("point"));

        var s = SettingsLoader.Bind([file, point]);

        Assert.Equal(11, s.Workload.ForkExec.Execs);
        Assert.Equal("4.14", s.Kernel.ProfileName);
        Assert.True(s.Kernel.Profile.HugetlbCopiedAtFork);
        Assert.Equal(["reference.conf", "kernel profile 4.14", "--set", "point"], SettingsLoader.Stack([file, point]).Select(l => l.Source.Name));
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "x.conf");

        var e = Assert.Throws<ConfigError>(() => SettingsLoader.Load(path, []));

        Assert.Equal($"configuration file '{path}' does not exist", e.Message);
    }

    [Fact]
    public void A_file_of_actor_kernel_keys_has_no_other_block()
    {
        using var file = new TempConfig("experiment { seed = 5 }");

        var e = Assert.Throws<ConfigError>(() => SettingsLoader.Load(file.Path, []));

        Assert.Equal($"unknown top-level block 'experiment' in {file.Path}: only 'actor-kernel' is allowed; did you mean 'actor-kernel'?", e.Message);
    }

    [Fact]
    public void An_unknown_profile_name_lists_the_profiles_in_version_order()
    {
        var e = Assert.Throws<ConfigError>(() => KernelProfiles.Text("5.15"));

        Assert.Equal("no kernel profile '5.15': expected one of 4.14, 6.8, 6.18", e.Message);
    }
}
