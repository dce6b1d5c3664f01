using System.Reflection;
using System.Text;
using ActorKernel.Actors.Metrics;
using ActorKernel.Configuration;
using ActorKernel.Experiments.Configuration;
using ActorKernel.Experiments.Journal;
using ActorKernel.Experiments.Planning;
using ActorKernel.Experiments.Report;
using ActorKernel.Experiments.Results;
using ActorKernel.Experiments.Running;
using ActorKernel.Experiments.Trace;

namespace ActorKernel.Experiments.Session;

/// <summary>The output's slow parts, started on other threads before the output is written (<see cref="ExperimentSession.StartOutput"/>).</summary>
/// <param name="ReportRuns">report.html's re-runs with provenance recording on.</param>
/// <param name="Plots">The PNG files being drawn, in their file order.</param>
public sealed record StartedOutput(Task<ReportRunsResult> ReportRuns, IReadOnlyList<(string Name, Task<byte[]> Png)> Plots);

/// <summary>Where an experiment came from: its name in messages, its text (null: the built-in default) and the --set overrides.</summary>
public sealed record ExperimentSource(string DisplayName, string? Text, IReadOnlyList<string> Overrides);

/// <summary>
/// An experiment from file (or the embedded default) to output folder: load and validate
/// the configuration, expand the plan, run it, write the results. Everything that can be
/// wrong with the user's input fails in <see cref="Prepare"/>, before anything runs or is written.
/// </summary>
public sealed class ExperimentSession
{
    /// <summary>Display name of the embedded default experiment (config/experiments/fork-exec.conf).</summary>
    public const string DefaultExperimentName = "config/experiments/fork-exec.conf (built in)";

    private ExperimentSession(ExperimentSource source, LoadedConfig config, ExperimentSettings experiment, ExperimentPlan plan)
    {
        Source = source;
        Config = config;
        Experiment = experiment;
        Plan = plan;
    }

    /// <summary>The experiment's text and overrides as given (a cluster worker rebuilds the session from them).</summary>
    public ExperimentSource Source { get; }

    public LoadedConfig Config { get; }

    public ExperimentSettings Experiment { get; }

    public ExperimentPlan Plan { get; }

    /// <summary>The kernel profiles the experiment runs on, in sweep order: "6.18", or "4.14, 6.18" when its sweep varies kernel.profile.</summary>
    public string KernelProfile => string.Join(", ", Plan.Runs.Select(r => r.Settings.Kernel.ProfileName).Distinct());

    /// <summary>"modelled kernel profile 6.18", or "modelled kernel profiles 4.14, 6.18" for a sweep over profiles.</summary>
    public string KernelProfileText => (KernelProfile.Contains(',') ? "modelled kernel profiles " : "modelled kernel profile ") + KernelProfile;

    /// <summary>Load, validate and expand. Throws <see cref="ConfigError"/> for any user mistake.</summary>
    public static ExperimentSession Prepare(string? experimentPath, IReadOnlyList<string> setOverrides)
    {
        // The file is read once (ConfigFile refuses special files and caps the size), and that text is both loaded and kept.
        var text = experimentPath is null ? null : ConfigFile.ReadText(experimentPath, "experiment file");
        var config = text is null
            ? ExperimentLoader.Load(DefaultExperimentText(), DefaultExperimentName, setOverrides)
            : ExperimentLoader.Load(text, experimentPath!, setOverrides);
        var source = new ExperimentSource(experimentPath ?? DefaultExperimentName, text, setOverrides.ToArray());
        var experiment = ExperimentBinder.Bind(config);
        return new ExperimentSession(source, config, experiment, ExperimentPlan.Expand(config, experiment));
    }

    /// <summary>Load, validate and expand an experiment given as text (displayName names it in errors).</summary>
    public static ExperimentSession PrepareText(string experimentText, string displayName, IReadOnlyList<string> setOverrides)
    {
        var config = ExperimentLoader.Load(experimentText, displayName, setOverrides);
        var experiment = ExperimentBinder.Bind(config);
        return new ExperimentSession(new ExperimentSource(displayName, experimentText, setOverrides.ToArray()), config, experiment, ExperimentPlan.Expand(config, experiment));
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

    /// <summary>What the runs of this session belong to (journals and cluster workers check it).</summary>
    public ExperimentIdentity Identity => _identity ??= ExperimentIdentity.Of(this);

    private ExperimentIdentity? _identity;

    /// <summary>Run the whole plan without a journal (calibration's single-point runs).</summary>
    public IReadOnlyList<RunRecord> Run(int parallelism, IProgress<RunProgress>? progress, CancellationToken cancel)
    {
        using var runner = new ExperimentRunner(parallelism);
        return runner.Run(Plan, progress, cancel);
    }

    /// <summary>
    /// Decide, by reading only, where the journal of a sweep into <paramref name="dir"/> goes (a fresh
    /// sweep, or <paramref name="resume"/> one). Throws <see cref="JournalError"/> (nothing created or
    /// changed) when the folder cannot be used; <see cref="JournalTarget.Open"/> then creates or reopens it.
    /// </summary>
    public JournalTarget CheckJournal(string dir, bool resume) => RunJournal.Check(dir, Identity, Plan, resume);

    /// <summary>Check, then start or reopen the journal in <paramref name="dir"/> (see <see cref="CheckJournal"/>).</summary>
    public RunJournal OpenJournal(string dir, bool resume) => CheckJournal(dir, resume).Open();

    /// <summary>
    /// Run the runs <paramref name="journal"/> lacks, recording each as it finishes. Progress counts
    /// every run of the plan, those found in the journal included.
    /// </summary>
    public void Run(RunJournal journal, int parallelism, IProgress<RunProgress>? progress, CancellationToken cancel)
    {
        using var runner = new ExperimentRunner(parallelism);
        Run(journal, runner, progress, cancel);
    }

    /// <summary>
    /// As <see cref="Run(RunJournal, int, IProgress{RunProgress}?, CancellationToken)"/> on <paramref name="runner"/>'s
    /// lanes (the CLI creates the runner's actor system while the experiment is being prepared); the caller disposes it.
    /// </summary>
    public void Run(RunJournal journal, ExperimentRunner runner, IProgress<RunProgress>? progress, CancellationToken cancel)
    {
        var already = journal.Count;
        var total = Plan.Runs.Count;
        var shifted = progress is null ? null : new ShiftedProgress(progress, already, total);
        runner.Run(journal.Missing(), r =>
        {
            journal.Record(r);
            // Only the journal saw the record, and it has pooled the histogram: this lane's next run reuses it.
            if (r.Metrics?.Policy.LatencyHistogram is { } h) LatencyHistogramPool.Return(h);
        }, shifted, cancel);
    }

    /// <summary>
    /// Write the output folder from the journal's runs (closing the journal; runs.jsonl is kept, in plan
    /// order), replacing the folder in one step (<see cref="OutputFolder"/>) and removing the sweep
    /// folder the journal grew in, if it was not the output folder itself.
    /// <paramref name="summaries"/> are the journal's point summaries when the caller has computed them
    /// already (<see cref="PointSummary.Of"/> with the journal's <see cref="RunJournal.Latencies"/>).
    /// </summary>
    /// <paramref name="trace"/> adds trace.json, the Chrome Trace Event file of one run (<c>run --trace</c>).
    /// <paramref name="started"/> is the output's slow parts when the caller has started them already
    /// (<see cref="StartOutput"/> with these summaries, <see cref="StartReportRuns"/> with the journal's records); else they are started here.
    public IReadOnlyList<(string Name, byte[] Content)> WriteOutput(RunJournal journal, IReadOnlyList<PointSummary>? summaries = null, RunTrace? trace = null,
        StartedOutput? started = null)
    {
        var records = journal.Records();
        var canonical = journal.Canonical();
        journal.Dispose();
        var files = OutputFiles(records, summaries ?? PointSummary.Of(records, journal.Latencies), started);
        if (trace is not null) files = files.Append(trace.Write(this, records)).ToArray();
        files = files.Append((RunJournal.FileName, canonical)).ToArray();
        OutputFolder.Replace(journal.Directory, files, journal.JournalFolder == journal.Directory ? null : journal.JournalFolder);
        return files;
    }

    /// <summary>The files of the output folder, in the order they are written (records holding their latency histograms).</summary>
    public IReadOnlyList<(string Name, byte[] Content)> OutputFiles(IReadOnlyList<RunRecord> records) =>
        OutputFiles(records, PointSummary.Of(records));

    /// <summary>
    /// The files of the output folder, in the order they are written, from the records and their point summaries;
    /// <paramref name="started"/> as in <see cref="WriteOutput"/>.
    /// </summary>
    public IReadOnlyList<(string Name, byte[] Content)> OutputFiles(IReadOnlyList<RunRecord> records, IReadOnlyList<PointSummary> summaries,
        StartedOutput? started = null)
    {
        // The plots (rendering and PNG encoding: most of the output's time) are drawn on other cores meanwhile,
        // and so are report.html's re-runs with recording on.
        var (reportRuns, plots) = started ?? StartOutput(StartReportRuns(records), summaries);
        var doc = new ResultsDocument(Experiment.Name, KernelProfile, Experiment.Seed, records) { Summaries = summaries };
        var table = SummaryTable.Of(summaries);
        var files = new[]
        {
            ("results.json", Encoding.UTF8.GetBytes(ResultsJsonWriter.Write(doc))),
            ("results.csv", Encoding.UTF8.GetBytes(ResultsCsvWriter.Write(records))),
            ("summary.md", Encoding.UTF8.GetBytes(SummaryMarkdown(table, records))),
            ("effective.conf", Encoding.UTF8.GetBytes(Config.RenderEffective())),
        }.Concat(plots.Select(p => (p.Name, p.Png.GetAwaiter().GetResult())))
            .Concat(Plots.TimelinePlot.Write(Experiment.Name, KernelProfile, records)).ToArray();
        var (points, timeline) = reportRuns.GetAwaiter().GetResult();
        var report = new ReportContent(Experiment.Name, KernelProfile, Experiment.Seed, RunsLine(records), table, summaries, CauseGlossary.Entries(summaries),
            files.Where(f => f.Item1.EndsWith(".png", StringComparison.Ordinal)).ToArray(), points, timeline);
        return files.Append((HtmlReport.FileName, HtmlReport.Write(report))).ToArray();
    }

    /// <summary>
    /// Starts the plots (<see cref="Plots.PlotWriter.Start"/>) beside report.html's re-runs, started already
    /// (<see cref="StartReportRuns"/>): the CLI starts both as soon as its sweep is done and the summaries are
    /// computed, so that they go on while the table is printed; <see cref="WriteOutput"/> waits for them.
    /// </summary>
    public StartedOutput StartOutput(Task<ReportRunsResult> reportRuns, IReadOnlyList<PointSummary> summaries) =>
        new(reportRuns, Plots.PlotWriter.Start(Experiment.Name, KernelProfile, summaries));

    /// <summary>
    /// Starts report.html's re-runs of <paramref name="records"/> (<see cref="ReportRuns"/>) on a lane added to <paramref name="runner"/>,
    /// which the caller keeps until the output is written; null: on a one-lane runner of their own.
    /// </summary>
    public Task<ReportRunsResult> StartReportRuns(IReadOnlyList<RunRecord> records, ExperimentRunner? runner = null) =>
        runner is not null
            ? ReportRuns.Start(this, records, runner)
            : Task.Factory.StartNew(() => ReportRuns.Record(this, records), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private string SummaryMarkdown(SummaryTable table, IReadOnlyList<RunRecord> records) =>
        $"# {Experiment.Name} (seed {Experiment.Seed}, {KernelProfileText})\n\n" +
        $"{RunsLine(records)}\n\n" +
        table.ToMarkdown();

    private string RunsLine(IReadOnlyList<RunRecord> records) =>
        $"{records.Count} of {Plan.Runs.Count} runs, {Experiment.RunsPerPoint} per point and policy.";

    private sealed class ShiftedProgress(IProgress<RunProgress> inner, int already, int total) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => inner.Report(new RunProgress(value.Done + already, total, value.Events));
    }
}
