using System.Reflection;
using System.Text;
using ActorKernel.Actors.Configuration;
using ActorKernel.Experiments.Configuration;
using ActorKernel.Experiments.Planning;
using ActorKernel.Experiments.Results;
using ActorKernel.Experiments.Running;

namespace ActorKernel.Experiments.Session;

/// <summary>
/// An experiment from file (or the embedded default) to output folder: load and validate
/// the configuration, expand the plan, run it, write the results. Everything that can be
/// wrong with the user's input fails in <see cref="Prepare"/>, before anything runs or is written.
/// </summary>
public sealed class ExperimentSession
{
    /// <summary>Display name of the embedded default experiment (config/experiments/fork-exec.conf).</summary>
    public const string DefaultExperimentName = "config/experiments/fork-exec.conf (built in)";

    private ExperimentSession(LoadedConfig config, ExperimentSettings experiment, ExperimentPlan plan)
    {
        Config = config;
        Experiment = experiment;
        Plan = plan;
    }

    public LoadedConfig Config { get; }

    public ExperimentSettings Experiment { get; }

    public ExperimentPlan Plan { get; }

    /// <summary>The kernel profile the experiment runs on (the base configuration's; a sweep may vary it per point).</summary>
    public string KernelProfile => Config.Bind(Array.Empty<KeyValuePair<string, string>>()).Kernel.ProfileName;

    /// <summary>Load, validate and expand. Throws <see cref="ConfigError"/> for any user mistake.</summary>
    public static ExperimentSession Prepare(string? experimentPath, IReadOnlyList<string> setOverrides)
    {
        var config = experimentPath is null
            ? SettingsLoader.Load(DefaultExperimentText(), DefaultExperimentName, setOverrides)
            : SettingsLoader.Load(experimentPath, setOverrides);
        var experiment = ExperimentBinder.Bind(config);
        return new ExperimentSession(config, experiment, ExperimentPlan.Expand(config, experiment));
    }

    /// <summary>Load, validate and expand an experiment given as text (displayName names it in errors).</summary>
    public static ExperimentSession PrepareText(string experimentText, string displayName, IReadOnlyList<string> setOverrides)
    {
        var config = SettingsLoader.Load(experimentText, displayName, setOverrides);
        var experiment = ExperimentBinder.Bind(config);
        return new ExperimentSession(config, experiment, ExperimentPlan.Expand(config, experiment));
    }

    /// <summary>The built-in default experiment, embedded from config/experiments/fork-exec.conf.</summary>
    public static string DefaultExperimentText()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("ActorKernel.experiments.fork-exec.conf")
            ?? throw new InvalidOperationException("the default experiment is not embedded in ActorKernel.Experiments");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public string DefaultOutputDir => Path.Combine("out", $"{Experiment.Name}-{Experiment.Seed}");

    public IReadOnlyList<RunRecord> Run(int parallelism, IProgress<RunProgress>? progress, CancellationToken cancel)
    {
        using var runner = new ExperimentRunner(parallelism);
        return runner.Run(Plan, progress, cancel);
    }

    /// <summary>The files of the output folder, in the order they are written.</summary>
    public IReadOnlyList<(string Name, byte[] Content)> OutputFiles(IReadOnlyList<RunRecord> records)
    {
        var doc = new ResultsDocument(Experiment.Name, KernelProfile, Experiment.Seed, records);
        var summaries = PointSummary.Of(records);
        var table = SummaryTable.Of(summaries);
        return new[]
        {
            ("results.json", Encoding.UTF8.GetBytes(ResultsJsonWriter.Write(doc))),
            ("results.csv", Encoding.UTF8.GetBytes(ResultsCsvWriter.Write(records))),
            ("summary.md", Encoding.UTF8.GetBytes(SummaryMarkdown(table, records))),
            ("effective.conf", Encoding.UTF8.GetBytes(Config.RenderEffective())),
        }.Concat(Plots.PlotWriter.Write(Experiment.Name, KernelProfile, summaries)).ToArray();
    }

    private string SummaryMarkdown(SummaryTable table, IReadOnlyList<RunRecord> records) =>
        $"# {Experiment.Name} (seed {Experiment.Seed}, kernel {KernelProfile})\n\n" +
        $"{records.Count} of {Plan.Runs.Count} runs, {Experiment.RunsPerPoint} per point and policy.\n\n" +
        table.ToMarkdown();
}
