using ActorKernel.Experiments.Configuration;

namespace ActorKernel.Experiments.Tests.Configuration;

public class EffectiveConfigTests
{
    private const string Experiment = """
        experiment {
          name = "demo"
          sweep { "workload.fork-exec.strings" = [rodata, stack], "workload.fork-exec.spawn" = [fork, vfork] }
        }
        actor-kernel.workload.fork-exec.execs = 50
        """;

    [Fact]
    public void The_same_input_renders_the_same_text()
    {
        var first = ExperimentLoader.Load(Experiment, "demo.conf", ["costs.exec-ns=7"]).RenderEffective();
        var second = ExperimentLoader.Load(Experiment, "demo.conf", ["costs.exec-ns=7"]).RenderEffective();

        Assert.Equal(first, second);
    }

    [Fact]
    public void Keys_are_sorted_and_the_sweep_keeps_its_order()
    {
        var text = ExperimentLoader.Load(Experiment, "demo.conf", []).RenderEffective();

        Assert.StartsWith("# Effective configuration, from reference.conf <- kernel profile 6.18 <- demo.conf\nactor-kernel {\n  costs {\n", text);
        Assert.True(text.IndexOf("  costs {", StringComparison.Ordinal) < text.IndexOf("  engine {", StringComparison.Ordinal));
        Assert.True(text.IndexOf("\"workload.fork-exec.strings\"", StringComparison.Ordinal) < text.IndexOf("\"workload.fork-exec.spawn\"", StringComparison.Ordinal));
        Assert.Contains("      execs = 50\n", text);
        Assert.Contains("    profile = \"6.18\"\n", text);
    }

    [Fact]
    public void A_point_is_rendered_with_its_overrides()
    {
        var text = ExperimentLoader.Load(Experiment, "demo.conf", []).RenderEffective([new("workload.fork-exec.spawn", "vfork")]);

        Assert.Contains("      spawn = vfork\n", text);
        Assert.Contains("<- sweep\n", text);
    }

    [Fact]
    public void The_rendered_text_loads_back_to_the_same_settings()
    {
        var loaded = ExperimentLoader.Load(Experiment, "demo.conf", ["kernel.profile=6.8", "kernel.features.per-vma-locks=no"]);
        KeyValuePair<string, string>[] point = [new("workload.fork-exec.child-touches", "far-page")];

        var again = ExperimentLoader.Load(loaded.RenderEffective(point), "effective.conf", []);

        Assert.Equal(loaded.Bind(point), again.Bind([]));
        Assert.Equal(loaded.RenderEffective(point).Split('\n').Skip(1), again.RenderEffective().Split('\n').Skip(1));
    }
}
