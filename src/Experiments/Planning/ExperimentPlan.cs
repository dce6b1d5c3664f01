using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Engine;
using ActorKernel.Configuration;
using ActorKernel.Actors.Workloads;
using ActorKernel.Experiments.Configuration;
using ActorKernel.Model;

namespace ActorKernel.Experiments.Planning;

/// <summary>An experiment expanded into its runs: sweep grid × policies × repetitions, in a fixed order.</summary>
public sealed class ExperimentPlan
{
    private const string KeyPrefix = "actor-kernel.";

    private ExperimentPlan(ExperimentSettings experiment, IReadOnlyList<IReadOnlyList<PointValue>> points, IReadOnlyList<RunSpec> runs)
    {
        Experiment = experiment;
        Points = points;
        Runs = runs;
    }

    public ExperimentSettings Experiment { get; }

    /// <summary>The sweep's points, first axis outermost.</summary>
    public IReadOnlyList<IReadOnlyList<PointValue>> Points { get; }

    public IReadOnlyList<RunSpec> Runs { get; }

    /// <summary>
    /// Expand and bind every run. Every point's settings are bound (and so validated) here,
    /// before anything runs or is written.
    /// </summary>
    public static ExperimentPlan Expand(LoadedConfig config, ExperimentSettings experiment)
    {
        PlanLimits.Check(experiment);
        var points = Grid(experiment.Sweep);
        var runs = new List<RunSpec>();
        for (var p = 0; p < points.Count; p++)
        {
            var overrides = points[p].Select(v => new KeyValuePair<string, string>(KeyPrefix + v.Key, v.Value)).ToList();
            var settings = config.Bind(overrides);
            var context = WorkloadCatalog.PolicyContext(settings, WorkloadCatalog.For(settings));
            foreach (var policy in experiment.Policies)
            {
                if (policy.Unavailable(context) is { } why)
                    throw new ConfigError(points[p].Count == 0 ? why : $"{why} (at sweep point {string.Join(", ", points[p].Select(v => $"{v.Key}={v.Value}"))})");
                for (var rep = 0; rep < experiment.RunsPerPoint; rep++)
                    runs.Add(new RunSpec(runs.Count, p, points[p], policy, rep, RunSeed(experiment.Seed, p, rep), settings));
            }
        }
        return new ExperimentPlan(experiment, points, runs);
    }

    /// <summary>The seed of a run: derived from the experiment seed, the point and the repetition, never from the policy.</summary>
    public static ulong RunSeed(long experimentSeed, int pointIndex, int repetition) =>
        SimRandom.For((ulong)experimentSeed, $"run/{pointIndex}/{repetition}").NextUInt64() >> 2;

    private static List<IReadOnlyList<PointValue>> Grid(IReadOnlyList<SweepAxis> axes)
    {
        var points = new List<IReadOnlyList<PointValue>> { Array.Empty<PointValue>() };
        foreach (var axis in axes)
        {
            var key = axis.KeyPath.StartsWith(KeyPrefix, StringComparison.Ordinal) ? axis.KeyPath[KeyPrefix.Length..] : axis.KeyPath;
            points = points.SelectMany(p => axis.Values.Select(v => (IReadOnlyList<PointValue>)p.Append(new PointValue(key, v)).ToArray())).ToList();
        }
        return points;
    }
}
