using ActorKernel.Configuration;
using ActorKernel.Experiments.Configuration;
using ActorKernel.Model;

namespace ActorKernel.Experiments.Tests.Configuration;

public class ExperimentBinderTests
{
    private static ExperimentSettings Bind(string text, params string[] set) =>
        ExperimentBinder.Bind(ExperimentLoader.Load(text, "exp.conf", set));

    private static string Fails(string text, params string[] set)
    {
        var e = Assert.Throws<ConfigError>(() => Bind(text, set));
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    private static string RepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ActorKernel.sln"))) return Path.Combine(dir.FullName, relative);
        }
        throw new InvalidOperationException("repository root not found");
    }

    [Fact]
    public void Defaults_bind_without_an_experiment_block()
    {
        var e = ExperimentBinder.Bind(ExperimentLoader.Load((string?)null, []));

        Assert.Equal("fork-exec", e.Name);
        Assert.Equal(1, e.Seed);
        Assert.Equal(1, e.RunsPerPoint);
        Assert.Equal([ProbePolicy.NoFault], e.Policies);
        Assert.Empty(e.Sweep);
    }

    [Fact]
    public void The_fork_exec_experiment_tells_its_story()
    {
        var loaded = ExperimentLoader.Load(RepoFile("config/experiments/fork-exec.conf"), []);

        var e = ExperimentBinder.Bind(loaded);

        Assert.Equal("fork-exec", e.Name);
        Assert.Equal([ProbePolicy.NoFault], e.Policies);
        Assert.Equal(50, loaded.Bind([]).Workload.ForkExec.Execs);
        Assert.Equal(
            [
                new SweepAxis("actor-kernel.workload.fork-exec.spawn", ["fork", "vfork", "posix-spawn"]),
                new SweepAxis("actor-kernel.workload.fork-exec.strings", ["rodata", "stack"]),
                new SweepAxis("actor-kernel.workload.fork-exec.child-touches", ["none", "strings-page", "window-neighbour", "far-page"]),
            ],
            e.Sweep,
            AxisComparer.Instance);
    }

    [Fact]
    public void The_sweep_keeps_the_written_order_of_quoted_dotted_keys()
    {
        var e = Bind("""
            experiment.sweep {
              "workload.fork-exec.strings" = [stack, rodata]
              "actor-kernel.costs.exec-ns" = [1000, 10]
              "workload.fork-exec.spawn" = [vfork]
            }
            """);

        Assert.Equal(
            ["actor-kernel.workload.fork-exec.strings", "actor-kernel.costs.exec-ns", "actor-kernel.workload.fork-exec.spawn"],
            e.Sweep.Select(a => a.KeyPath));
        Assert.Equal(["stack", "rodata"], e.Sweep[0].Values);
        Assert.Equal(["1000", "10"], e.Sweep[1].Values);
    }

    [Fact]
    public void Experiment_file_and_set_override_the_defaults()
    {
        var e = Bind("experiment { name = \"demo-2\", seed = 42, runs-per-point = 3 }", "experiment.seed=7");

        Assert.Equal("demo-2", e.Name);
        Assert.Equal(7, e.Seed);
        Assert.Equal(3, e.RunsPerPoint);
    }

    [Fact]
    public void A_sweep_value_invalid_for_its_key_fails_before_anything_runs()
    {
        var m = Fails("""experiment.sweep { "workload.fork-exec.spawn" = [fork, clone3] }""");

        Assert.Equal("invalid sweep value 'clone3' for actor-kernel.workload.fork-exec.spawn in exp.conf: expected one of fork, vfork, posix-spawn, system, popen", m);
    }

    [Fact]
    public void A_sweep_value_out_of_range_fails()
    {
        var m = Fails("""experiment.sweep { "machine.numa-nodes" = [1, 2, 100] }""");

        Assert.Equal("invalid sweep value '100' for actor-kernel.machine.numa-nodes in exp.conf: expected an integer from 1 to 64", m);
    }

    [Fact]
    public void An_unknown_sweep_key_suggests_the_nearest()
    {
        var m = Fails("""experiment.sweep { "workload.fork-exec.spwan" = [fork] }""");

        Assert.Equal("unknown sweep key 'workload.fork-exec.spwan' in exp.conf: a sweep key must be an actor-kernel key; did you mean 'actor-kernel.workload.fork-exec.spawn'?", m);
    }

    [Fact]
    public void A_sweep_axis_needs_a_list_of_values()
    {
        var m = Fails("""experiment.sweep { "workload.fork-exec.spawn" = fork }""");

        Assert.Equal("invalid value 'fork' for experiment.sweep.\"workload.fork-exec.spawn\" in exp.conf: expected a list of at least 1 of a text value", m);
    }

    [Fact]
    public void The_same_key_cannot_be_swept_twice()
    {
        var m = Fails("""experiment.sweep { "workload.fork-exec.spawn" = [fork], "actor-kernel.workload.fork-exec.spawn" = [vfork] }""");

        Assert.Equal("sweep key 'actor-kernel.workload.fork-exec.spawn' in exp.conf sweeps actor-kernel.workload.fork-exec.spawn a second time", m);
    }

    [Fact]
    public void An_unknown_policy_lists_the_policies()
    {
        var m = Fails("experiment.policies = [nofault, trylock-everything]");

        Assert.Equal("invalid value '[nofault, trylock-everything]' for experiment.policies in exp.conf: expected a list of at least 1 of one of nofault, trylock-minor, trylock-vma, sleepable, deferred", m);
    }

    [Fact]
    public void An_unknown_experiment_key_suggests_the_nearest()
    {
        var m = Fails("experiment.runs-per-pont = 3");

        Assert.Equal("unknown key 'experiment.runs-per-pont' in exp.conf; did you mean 'experiment.runs-per-point'?", m);
    }

    [Theory]
    [InlineData("experiment.name = \"Fork Exec\"", "invalid value 'Fork Exec' for experiment.name in exp.conf: expected a name of lower-case letters, digits and '-'")]
    [InlineData("experiment.seed = -1", "invalid value '-1' for experiment.seed in exp.conf: expected an integer from 0 to 4611686018427387904")]
    [InlineData("experiment.runs-per-point = 0", "invalid value '0' for experiment.runs-per-point in exp.conf: expected an integer from 1 to 100000")]
    public void Experiment_values_are_validated(string text, string message)
    {
        Assert.Equal(message, Fails(text));
    }

    [Fact]
    public void A_bad_experiment_value_from_set_names_set()
    {
        Assert.Equal("invalid value 'x' for experiment.seed in --set: expected an integer from 0 to 4611686018427387904", Fails("", "experiment.seed=x"));
    }

    private sealed class AxisComparer : IEqualityComparer<SweepAxis>
    {
        public static readonly AxisComparer Instance = new();

        public bool Equals(SweepAxis? x, SweepAxis? y) => x!.KeyPath == y!.KeyPath && x.Values.SequenceEqual(y.Values);

        public int GetHashCode(SweepAxis obj) => obj.KeyPath.GetHashCode(StringComparison.Ordinal);
    }
}
