using ActorKernel.Configuration;
using ActorKernel.Experiments.Configuration;

namespace ActorKernel.Experiments.Tests.Configuration;

public class ExperimentLoaderTests
{
    [Fact]
    public void A_sweep_point_overrides_everything_including_the_profile()
    {
        var loaded = ExperimentLoader.Load((string?)null, ["workload.fork-exec.execs=9"]);

        var s = loaded.Bind([new("actor-kernel.workload.fork-exec.execs", "11"), new("kernel.profile", "4.14")]);

        Assert.Equal(11, s.Workload.ForkExec.Execs);
        Assert.Equal("4.14", s.Kernel.ProfileName);
        Assert.True(s.Kernel.Profile.HugetlbCopiedAtFork);
        Assert.Equal(9, loaded.Bind([]).Workload.ForkExec.Execs);
    }

    [Fact]
    public void A_bad_sweep_point_names_the_sweep()
    {
        var loaded = ExperimentLoader.Load((string?)null, []);

        var e = Assert.Throws<ConfigError>(() => loaded.Bind([new("workload.fork-exec.spawn", "clone3")]));

        Assert.Equal("invalid value 'clone3' for actor-kernel.workload.fork-exec.spawn in sweep: expected one of fork, vfork, posix-spawn, system, popen", e.Message);
    }

    [Fact]
    public void A_missing_experiment_file_is_named()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "x.conf");

        var e = Assert.Throws<ConfigError>(() => ExperimentLoader.Load(path, []));

        Assert.Equal($"experiment file '{path}' does not exist", e.Message);
    }

    [Fact]
    public void Text_experiments_are_named_by_their_display_name()
    {
        var e = Assert.Throws<ConfigError>(() => ExperimentLoader.Load("actor-kernel.engine.max-events = 0", "built-in.conf", []));

        Assert.Equal("invalid value '0' for actor-kernel.engine.max-events in built-in.conf: expected an integer from 1 to 10000000000", e.Message);
    }

    [Fact]
    public void The_merged_config_and_the_experiment_block_are_exposed()
    {
        var loaded = ExperimentLoader.Load("experiment { seed = 5 }\nactor-kernel.probe.max-argv = 3", "x.conf", []);

        Assert.Equal(3, loaded.Config.GetInt("actor-kernel.probe.max-argv"));
        Assert.Equal(100, loaded.Config.GetInt("actor-kernel.costs.syscall-entry-ns"));
        Assert.Equal(5, loaded.Experiment.GetInt("seed"));
        Assert.Equal(["reference.conf", "kernel profile 6.18", "x.conf"], loaded.Layers.Select(l => l.Source.Name));
    }

    [Fact]
    public void Unknown_top_level_blocks_are_errors()
    {
        var e = Assert.Throws<ConfigError>(() => ExperimentLoader.Load("akka.loglevel = DEBUG", "my.conf", []));

        Assert.Equal("unknown top-level block 'akka' in my.conf: only 'actor-kernel' and 'experiment' are allowed; did you mean 'actor-kernel'?", e.Message);
    }

    [Fact]
    public void A_set_key_under_experiment_keeps_its_root()
    {
        Assert.Equal("experiment.seed", ExperimentLoader.Overrides.NormalizeKey("experiment.seed"));
        Assert.Equal("actor-kernel.costs.exec-ns", ExperimentLoader.Overrides.NormalizeKey("costs.exec-ns"));
    }
}
