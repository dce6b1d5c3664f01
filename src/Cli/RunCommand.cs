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
        var session = ExperimentSession.Prepare(args.ExperimentFile, args.Overrides);
        var outDir = args.OutDir ?? session.DefaultOutputDir;
        var total = session.Plan.Runs.Count;
        progressOut.WriteLine($"{session.Experiment.Name}: {total} runs ({session.Plan.Points.Count} points × {session.Experiment.Policies.Count} policies × {session.Experiment.RunsPerPoint} seeds) on kernel {session.KernelProfile}, {args.Parallelism} at a time");

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
            progressOut.WriteLine("stopping: finishing the runs in progress, then writing what has finished");
        };
        Console.CancelKeyPress += onCancel;
        IReadOnlyList<RunRecord> records;
        try
        {
            records = !Console.IsErrorRedirected && ReferenceEquals(progressOut, Console.Error)
                ? RunWithBar(session, args.Parallelism, cancel.Token)
                : RunWithLines(session, args.Parallelism, progressOut, cancel.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        var summaries = PointSummary.Of(records);
        var table = SummaryTable.Of(summaries);
        Render(console, table);
        PrintLegend(console, summaries);
        var files = session.OutputFiles(records);
        OutputFolder.Write(outDir, files);
        console.WriteLine($"Wrote {outDir}{Path.DirectorySeparatorChar} ({string.Join(", ", files.Select(f => f.Name))})");

        var failedRuns = records.Where(r => !r.Succeeded).ToArray();
        foreach (var r in failedRuns.Take(5))
            console.WriteLine($"run {r.Spec.Run} FAILED (seed {r.Spec.Seed}): {r.Failure}");
        if (failedRuns.Length > 0)
        {
            console.WriteLine($"{failedRuns.Length} run(s) failed inside the model; replay one with its point's --set values and --seed.");
            return 1;
        }
        if (cancel.IsCancellationRequested)
        {
            console.WriteLine($"interrupted: {records.Count} of {total} runs finished and were written");
            return 130;
        }
        return 0;
    }

    // Plain lines, about ten per experiment: readable in a CI log and in a redirected file.
    private static IReadOnlyList<RunRecord> RunWithLines(ExperimentSession session, int parallelism, TextWriter progressOut, CancellationToken cancel)
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
        return session.Run(parallelism, progress, cancel);
    }

    // A Spectre.Console bar on the terminal's stderr, so stdout keeps only the table.
    private static IReadOnlyList<RunRecord> RunWithBar(ExperimentSession session, int parallelism, CancellationToken cancel)
    {
        var stderr = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        IReadOnlyList<RunRecord> records = Array.Empty<RunRecord>();
        stderr.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"{session.Experiment.Name}: 0/{session.Plan.Runs.Count} runs", maxValue: session.Plan.Runs.Count);
                var progress = new SynchronousProgress<RunProgress>(p =>
                {
                    task.Value = p.Done;
                    task.Description = $"{session.Experiment.Name}: {p.Done}/{p.Total} runs, {p.Events:N0} events";
                });
                records = session.Run(parallelism, progress, cancel);
            });
        return records;
    }

    private static void Render(IAnsiConsole console, SummaryTable table)
    {
        var t = new Table().Border(TableBorder.Rounded);
        foreach (var h in table.Headers) t.AddColumn(new TableColumn(Markup.Escape(h)));
        foreach (var row in table.Rows) t.AddRow(row.Select(c => new Text(c)).ToArray());
        console.Write(t);
    }

    private static void PrintLegend(IAnsiConsole console, IReadOnlyList<PointSummary> summaries)
    {
        var lines = CauseGlossary.For(summaries);
        if (lines.Count == 0) return;
        console.WriteLine("Causes (docs/results.md):");
        foreach (var line in lines) console.WriteLine(line);
    }

    /// <summary>IProgress that reports on the reporting thread (Progress&lt;T&gt; would post to the thread pool and could print after the table).</summary>
    private sealed class SynchronousProgress<T> : IProgress<T>
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
