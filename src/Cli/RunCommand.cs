using ActorKernel.Cluster;
using ActorKernel.Experiments.Journal;
using ActorKernel.Experiments.Plots;
using ActorKernel.Experiments.Results;
using ActorKernel.Experiments.Running;
using ActorKernel.Experiments.Session;
using Spectre.Console;

namespace ActorKernel.Cli;

/// <summary>`actorkernel run`: prepare (all validation), run with progress, print the table, write the folder.</summary>
public static class RunCommand
{
    public static int Execute(RunArguments args, IAnsiConsole console, TextWriter progressOut)
    {
        if (args.Schedule is not null) return ScheduleReplay.Execute(args, console.Profile.Out.Writer, progressOut);
        // Start-up work that does not depend on the experiment runs on the other cores while it is prepared:
        // the local runner's actor system and lanes, and Skia/ScottPlot/font loading for the plots.
        var runner = args.Cluster is null ? Task.Run(() => new ExperimentRunner(args.Parallelism)) : null;
        _ = Task.Run(PlotWriter.WarmUp);
        try
        {
            return Execute(args, console, progressOut, runner);
        }
        finally
        {
            runner?.GetAwaiter().GetResult().Dispose();
        }
    }

    private static int Execute(RunArguments args, IAnsiConsole console, TextWriter progressOut, Task<ExperimentRunner>? runner)
    {
        var session = ExperimentSession.Prepare(args.ExperimentFile, args.Overrides);
        var outDir = args.Resume ?? args.OutDir ?? session.DefaultOutputDir;
        var total = session.Plan.Runs.Count;
        if (args.Trace?.Run is { } traceRun && traceRun >= total)
            throw new CliError($"--trace {traceRun}: the experiment has {total} runs (0 to {total - 1})");

        // Everything the user could have got wrong fails here, before anything is created or changed:
        // the configuration (above), the folder and its journal (read only), and the coordinator's address.
        var target = session.CheckJournal(outDir, resume: args.Resume is not null);
        var cluster = args.Cluster is null ? null : ClusterSweep.Start(args.Cluster);
        RunJournal opened;
        try
        {
            opened = target.Open();
        }
        catch
        {
            cluster?.Dispose();
            throw;
        }

        using var journal = opened;
        var where = args.Cluster is null ? $"{args.Parallelism} at a time" : "on a cluster";
        progressOut.WriteLine($"{session.Experiment.Name}: {total} runs ({session.Plan.Points.Count} points × {session.Experiment.Policies.Count} policies × {session.Experiment.RunsPerPoint} runs per point) on the {session.KernelProfileText}, {where}");
        if (target.Resumes)
            progressOut.WriteLine($"resuming {outDir}: {journal.Count} of {total} runs already done, {total - journal.Count} to run");

        using var cancel = new CancellationTokenSource();
        var signals = new StopSignals(() =>
        {
            if (cancel.IsCancellationRequested) return;
            cancel.Cancel();
            progressOut.WriteLine("stopping: finishing the runs in progress, then writing what has finished");
        });
        try
        {
            if (cluster is not null)
                cluster.Run(session, journal, new ClusterProgress(progressOut).Report, cancel.Token);
            else if (!Console.IsErrorRedirected && ReferenceEquals(progressOut, Console.Error))
                RunWithBar(session, journal, runner!.GetAwaiter().GetResult(), cancel.Token);
            else
                RunWithLines(session, journal, runner!.GetAwaiter().GetResult(), progressOut, cancel.Token);
        }
        finally
        {
            signals.Dispose();
            cluster?.Dispose();
        }

        var records = journal.Records();
        // report.html's re-runs (recording on) go on a lane of their own on the local runner's actor system, and the plots
        // on the thread pool, while the table is printed and the other files are made.
        var reportRuns = session.StartReportRuns(records, runner?.GetAwaiter().GetResult());
        var summaries = PointSummary.Of(records, journal.Latencies);
        var started = session.StartOutput(reportRuns, summaries);
        var table = SummaryTable.Of(summaries);
        Render(console, table);
        PrintLegend(console, summaries);
        var files = session.WriteOutput(journal, summaries, args.Trace, started);
        console.WriteLine($"Wrote {outDir}{Path.DirectorySeparatorChar} ({string.Join(", ", files.Select(f => f.Name))})");
        if (records.FirstOrDefault(r => r.Metrics is { ReadsFailed: > 0 }) is { } failed)
            console.WriteLine($"Why did a read fail? The first failed read, step by step: actorkernel explain {outDir} --run {failed.Spec.Run}");

        if (args.CheckDeterminism && CheckDeterminism(records, journal, progressOut) is { } exit) return exit;

        var failedRuns = records.Where(r => !r.Succeeded).ToArray();
        foreach (var r in failedRuns.Take(5))
            console.WriteLine($"run {r.Spec.Run} FAILED (seed {r.Spec.Seed}): {r.Failure}");
        if (failedRuns.Length > 0)
        {
            console.WriteLine($"{failedRuns.Length} run(s) failed inside the model; replay one with its point's --set values and --seed.");
            return 1;
        }
        if (records.Count < total)
        {
            console.WriteLine($"interrupted: {records.Count} of {total} runs finished and were written; continue with --resume {outDir}");
            return 130;
        }
        return 0;
    }

    // Plain lines, about ten per experiment: readable in a CI log and in a redirected file.
    private static void RunWithLines(ExperimentSession session, RunJournal journal, ExperimentRunner runner, TextWriter progressOut, CancellationToken cancel)
    {
        var lastReported = 0;
        var progress = new SynchronousProgress<RunProgress>(p =>
        {
            if (p.Done == p.Total || p.Done * 10 / p.Total > lastReported * 10 / p.Total)
            {
                lastReported = p.Done;
                progressOut.WriteLine($"  {p.Done}/{p.Total} runs, {p.Events:N0} events");
            }
        });
        session.Run(journal, runner, progress, cancel);
    }

    // A Spectre.Console bar on the terminal's stderr, so stdout keeps only the table.
    private static void RunWithBar(ExperimentSession session, RunJournal journal, ExperimentRunner runner, CancellationToken cancel)
    {
        var stderr = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        stderr.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"{session.Experiment.Name}: {journal.Count}/{session.Plan.Runs.Count} runs", maxValue: session.Plan.Runs.Count);
                task.Value = journal.Count;
                var progress = new SynchronousProgress<RunProgress>(p =>
                {
                    task.Value = p.Done;
                    task.Description = $"{session.Experiment.Name}: {p.Done}/{p.Total} runs, {p.Events:N0} events";
                });
                session.Run(journal, runner, progress, cancel);
            });
    }

    // After the folder is written (the sweep's results stand on their own); a difference is exit 1, one line.
    private static int? CheckDeterminism(IReadOnlyList<RunRecord> records, RunJournal journal, TextWriter progressOut)
    {
        var report = DeterminismCheck.Run(records, r => journal.Line(r.Spec.Run)!);
        if (!report.Identical)
        {
            progressOut.WriteLine(report.Difference);
            return 1;
        }
        progressOut.WriteLine($"determinism check: {report.Checked} of {records.Count} runs run again on another lane in reverse order; their runs.jsonl lines are identical");
        return null;
    }

    private static void Render(IAnsiConsole console, SummaryTable table)
    {
        var t = new Table().Border(TableBorder.Rounded);
        foreach (var h in table.Headers) t.AddColumn(new TableColumn(Markup.Escape(h)));
        foreach (var row in table.Rows) t.AddRow(row.Select(c => new Text(c)).ToArray());
        console.Write(t);
        console.WriteLine("Latencies are virtual time: the model's clock, not time measured on this machine.");
        foreach (var note in table.Notes) console.WriteLine(note);
    }

    private static void PrintLegend(IAnsiConsole console, IReadOnlyList<PointSummary> summaries)
    {
        var lines = CauseGlossary.For(summaries);
        if (lines.Count == 0) return;
        console.WriteLine("Causes (docs/results.md):");
        foreach (var line in lines) console.WriteLine(line);
    }

    /// <summary>IProgress that reports on the reporting thread (Progress&lt;T&gt; would post to the thread pool and could print after the table).</summary>
    internal sealed class SynchronousProgress<T> : IProgress<T>
    {
        private readonly Action<T> _report;
        private readonly object _gate = new();

        public SynchronousProgress(Action<T> report)
        {
            _report = report;
        }

        public void Report(T value)
        {
            lock (_gate) _report(value);
        }
    }
}
